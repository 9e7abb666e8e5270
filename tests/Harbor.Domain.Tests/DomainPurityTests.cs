using Harbor.Domain.Customers;
using Xunit;

namespace Harbor.Domain.Tests;

/// <summary>The domain holds the policy and nothing else (ADR-002, ADR-008): it references the BCL only.</summary>
public class DomainPurityTests
{
    [Fact]
    public void Domain_ReferencesTheBaseClassLibraryOnly()
    {
        var references = typeof(CustomerDetails).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name != "netstandard" && name != "mscorlib" && !name.StartsWith("System", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(references);
    }
}
