namespace Soci.Actors.Runtime.Layers;

/// <summary>Builds a ready-to-mount layer (snapshotter.md §7 steps 2–10). Runs off the actor, may take seconds.</summary>
public interface ILayerFactory
{
    Task<RuntimeLayer> CreateAsync(LayerRequest request, CancellationToken cancellationToken);
}
