using System.Globalization;

namespace NetGen.Benchmarks;

/// <summary>
/// The benchmark commands' options (<c>--name value</c>), read so that a bad value stops the command with a message that
/// names the option and what was given, instead of a <see cref="FormatException"/>'s stack trace.
/// </summary>
internal static class BenchmarkOptions
{
    /// <summary>The text after <paramref name="name"/>; null when the option is absent.</summary>
    /// <exception cref="OptionException">The option is the last argument, with no value after it.</exception>
    public static string? Text(string[] args, string name) =>
        !Find(args, name, out string? text) ? null : text ?? throw new OptionException($"{name} needs a value after it.");

    /// <summary>
    /// The whole number after <paramref name="name"/>, at least <paramref name="minimum"/>; <paramref name="fallback"/>
    /// when the option is absent. <paramref name="noun"/> says what is counted ("threads", "epochs").
    /// </summary>
    /// <exception cref="OptionException">The value is missing, not a whole number, or below <paramref name="minimum"/>.</exception>
    public static int WholeNumber(string[] args, string name, string noun, int fallback, int minimum = 1) =>
        TryWholeNumber(args, name, noun, fallback, minimum, out int value, out string error) ? value : throw new OptionException(error);

    /// <summary><see cref="WholeNumber"/> without the exception: false with <paramref name="error"/> saying what was wrong.</summary>
    public static bool TryWholeNumber(string[] args, string name, string noun, int fallback, int minimum, out int value, out string error)
    {
        value = fallback;
        error = "";
        if (!Find(args, name, out string? text))
        {
            return true;
        }

        if (!IsWholeNumber(text, minimum, out value))
        {
            value = fallback;
            error = $"{name} needs a whole number of {noun} of at least {minimum}, not '{text ?? "(nothing)"}'.";
            return false;
        }

        return true;
    }

    /// <summary>
    /// The comma-separated whole numbers after <paramref name="name"/> (<c>--threads 1,2</c>), each at least 1;
    /// <paramref name="fallback"/> when the option is absent.
    /// </summary>
    /// <exception cref="OptionException">The value is missing, or one of its parts is not a whole number of at least 1.</exception>
    public static int[] WholeNumberList(string[] args, string name, string noun, int[] fallback)
    {
        if (!Find(args, name, out string? text))
        {
            return fallback;
        }

        string[] parts = text?.Split(',') ?? [];
        var values = new int[parts.Length];
        bool valid = parts.Length > 0;
        for (int i = 0; i < parts.Length; i++)
        {
            valid &= IsWholeNumber(parts[i], 1, out values[i]);
        }

        return valid ? values : throw new OptionException($"{name} needs whole numbers of {noun} of at least 1, separated by commas (such as 1,2), not '{text ?? "(nothing)"}'.");
    }

    /// <summary>The positive, finite number of seconds after <paramref name="name"/>; <paramref name="fallback"/> when the option is absent.</summary>
    /// <exception cref="OptionException">The value is missing, not a number, not finite, or not positive.</exception>
    public static double Seconds(string[] args, string name, double fallback)
    {
        if (!Find(args, name, out string? text))
        {
            return fallback;
        }

        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds) || seconds <= 0)
        {
            throw new OptionException($"{name} needs a positive number of seconds (such as 1.5), not '{text ?? "(nothing)"}'.");
        }

        return seconds;
    }

    /// <summary>The value after <paramref name="name"/>, which must be one of <paramref name="allowed"/>; <paramref name="fallback"/> when the option is absent.</summary>
    /// <exception cref="OptionException">The value is missing or not one of <paramref name="allowed"/>.</exception>
    public static string OneOf(string[] args, string name, string fallback, params string[] allowed)
    {
        string? text = Text(args, name);
        if (text is null)
        {
            return fallback;
        }

        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new OptionException($"{name} needs one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}, not '{text}'.");
    }

    /// <summary>Whether <paramref name="name"/> is among the arguments, and the one after it (null when it is the last).</summary>
    private static bool Find(string[] args, string name, out string? text)
    {
        int index = Array.IndexOf(args, name);
        text = index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        return index >= 0;
    }

    /// <summary>Whether <paramref name="text"/> is a whole number (digits only) of at least <paramref name="minimum"/>.</summary>
    private static bool IsWholeNumber(string? text, int minimum, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum;
}

/// <summary>A benchmark command's option had a bad value; the message says which and why, and the command exits with 2.</summary>
internal sealed class OptionException(string message) : Exception(message);
