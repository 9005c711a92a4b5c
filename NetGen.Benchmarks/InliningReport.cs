using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace NetGen.Benchmarks;

/// <summary>
/// `loop --only NAME --inlining`: the inlines the JIT gave up in NetGen's methods for lack of budget while the loop ran,
/// read from the runtime's own events (keyword JitTracing) in process. A training step inlines the generated passes and
/// the kernels under them; when the JIT's budget for the method runs out, even one-line helpers stay calls ("inline
/// exceeds budget"), which is how the import of dead vector widths was found (docs/design-notes.md, "The inlining
/// budget"). Other refusals (a method too large, marked <c>NoInlining</c>, one that throws) are by design and left out;
/// each compilation of a method reports its own, so a tier-0 or instrumented compilation can show one that the final
/// code does not have.
/// </summary>
internal sealed class InliningReport : EventListener
{
    private const EventKeywords JitTracing = (EventKeywords)0x1000;

    private readonly ConcurrentDictionary<string, int> _failures = new();

    /// <summary>Prints each distinct failure (caller, callee, reason) with how many compilations reported it.</summary>
    public void Print(TextWriter writer)
    {
        var lines = _failures.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        writer.WriteLine(lines.Count == 0
            ? "No inline in NetGen's methods was refused for the JIT's budget."
            : $"Inlines refused for the JIT's budget in NetGen's methods, each with the number of compilations that reported it ({lines.Count}):");
        foreach (var (line, count) in lines)
        {
            writer.WriteLine($"  {count,3}x {line}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, JitTracing);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not ("MethodJitInliningFailed" or "MethodJitInliningFailedAnsi") || eventData.PayloadNames is null || eventData.Payload is null)
        {
            return;
        }

        string Field(string name)
        {
            int index = eventData.PayloadNames.IndexOf(name);
            return index >= 0 ? eventData.Payload[index]?.ToString() ?? string.Empty : string.Empty;
        }

        string inlinerNamespace = Field("InlinerNamespace");
        string reason = Field("FailReason");
        if (!inlinerNamespace.StartsWith("NetGen", StringComparison.Ordinal) || !reason.Contains("budget", StringComparison.Ordinal))
        {
            return;
        }

        string line = $"{inlinerNamespace}.{Field("InlinerName")} <- {Field("InlineeNamespace")}.{Field("InlineeName")}: {reason}";
        _failures.AddOrUpdate(line, 1, (_, count) => count + 1);
    }
}
