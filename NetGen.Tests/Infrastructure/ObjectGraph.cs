using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace NetGen.Tests.Infrastructure;

/// <summary>Walks an object graph by reflection to prove a pipeline model holds no symbol, syntax or compilation.</summary>
internal static class ObjectGraph
{
    public static void AssertNoRoslynObjects(object? root, string step)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object Value, string Path)>();
        if (root is not null)
        {
            pending.Push((root, step));
        }

        while (pending.Count > 0)
        {
            var (value, path) = pending.Pop();
            var type = value.GetType();
            if (value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or AttributeData)
            {
                throw new Xunit.Sdk.XunitException($"{path} holds a {type.FullName}, which would keep compilations alive and defeat caching.");
            }

            if (type.IsPrimitive || type.IsEnum || value is string || !seen.Add(value))
            {
                continue;
            }

            if (value is IEnumerable sequence and not string)
            {
                int index = 0;
                foreach (var item in sequence)
                {
                    if (item is not null)
                    {
                        pending.Push((item, $"{path}[{index}]"));
                    }

                    index++;
                }
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(value) is { } child)
                    {
                        pending.Push((child, path + "." + field.Name));
                    }
                }
            }
        }
    }
}
