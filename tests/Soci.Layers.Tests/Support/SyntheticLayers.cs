using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;

namespace Soci.Layers.Tests.Support;

/// <summary>The synthetic test image's layers (every tar entry kind, whiteouts, an opaque dir, a 12 MiB layer), written once per test class.</summary>
public sealed class SyntheticLayers : IAsyncLifetime
{
    private TestDirectory? _directory;

    public IReadOnlyList<OciLayout.Layer> Layers { get; private set; } = [];

    public Task InitializeAsync()
    {
        _directory = TestDirectory.Create("layers-synthetic");
        var layout = _directory.Sub("layout");
        SyntheticImage.WriteLayout(layout);
        Layers = OciLayout.Layers(layout);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
    }
}
