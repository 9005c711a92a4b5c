using NetGen.Tests.Networks;

namespace NetGen.Tests.Infrastructure;

/// <summary>The networks declared in <c>NetGen.Tests.Networks</c>, for theories that run over all of them or a kind of them.</summary>
internal static class DeclaredNetworks
{
    /// <summary>The generated network types of the namespace that pass <paramref name="filter"/>, ordered by name.</summary>
    public static IEnumerable<Type> Where(Func<Type, bool> filter) =>
        typeof(XorNet).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(XorNet).Namespace && typeof(INetwork).IsAssignableFrom(t) && filter(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>The names of <see cref="Where"/>'s types, as theory data.</summary>
    public static TheoryData<string> Names(Func<Type, bool> filter) => new(Where(filter).Select(t => t.Name));
}
