using Soci.TestEnvironment;
using Soci.TestEnvironment.Registry;

namespace Soci.Runtime.Tests.Support;

/// <summary>One loopback registry shared by a test class, stopped (by pid) when the class is done.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public TestDirectory Directory { get; private set; } = null!;

    public LocalRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory = TestDirectory.Create("runtime-registry");
        Registry = await LocalRegistry.StartAsync(Directory);
    }

    public async Task DisposeAsync() => await Directory.DisposeAsync();
}
