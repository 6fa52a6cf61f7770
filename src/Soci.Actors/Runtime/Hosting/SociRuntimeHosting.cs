using Akka.Actor;
using Akka.Hosting;
using Akka.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soci.Actors.Registry;
using Soci.Actors.Runtime.Content;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Local;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Runtime.Hosting;

/// <summary>Akka.Hosting wiring of the runtime: HOCON, Hyperion for our messages, the file system actor in the registry.</summary>
public static class SociRuntimeHosting
{
    /// <summary>
    /// Adds the runtime to an actor system under construction: the reference HOCON (overridable), Hyperion bound
    /// to <see cref="ISociMessage"/> only, and the <see cref="FileSystemActor"/> registered for
    /// <see cref="IRequiredActor{TKey}"/>. Its registry client, content store (<c>&lt;root&gt;/content</c>), prepared
    /// layers (<c>&lt;root&gt;/layers</c>) and span caches (<c>&lt;root&gt;/fscache</c>) live under <paramref name="root"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithSociRuntime(this AkkaConfigurationBuilder builder, string root, RuntimeSettings settings,
        RegistryClient registry)
    {
        builder.AddHocon(RuntimeConfiguration.Reference, HoconAddMode.Append);
        builder.WithCustomSerializer("hyperion", [typeof(ISociMessage)], system => new HyperionSerializer(system));
        builder.WithActors((system, actors, services) =>
        {
            var logger = services.GetService<ILoggerFactory>().CreateLogger("soci.runtime");
            var store = new LocalContentStore(Path.Combine(root, "content"));
            var cacheRoot = Path.Combine(root, "fscache");
            // Span caches of a previous run belong to layers that no longer exist.
            if (Directory.Exists(cacheRoot))
            {
                Directory.Delete(cacheRoot, recursive: true);
            }

            var fetcher = new RegistrySociArtifactFetcher(registry, store, settings, logger);
            var preparedLayers = new PreparedLayerStore(Path.Combine(root, "layers"), logger);
            var layers = new RegistryLayerFactory(registry, store, preparedLayers, cacheRoot, settings);
            actors.Register<FileSystemActor>(system.ActorOf(FileSystemActor.Props(fetcher, layers, settings), "soci-fs"));
        });
        return builder;
    }

    /// <summary>
    /// Registers <see cref="IRemoteFileSystem"/> as the actor-backed implementation; layers it does not mount lazily
    /// are unpacked locally by <paramref name="localUnpacker"/> when one is given.
    /// </summary>
    public static IServiceCollection AddActorRemoteFileSystem(this IServiceCollection services, RuntimeSettings settings,
        RegistryLayerUnpacker? localUnpacker = null) =>
        services.AddSingleton<IRemoteFileSystem>(provider =>
        {
            var required = provider.GetRequiredService<IRequiredActor<FileSystemActor>>();
            return new ActorRemoteFileSystem(cancellation => required.GetAsync(cancellation), settings.AskTimeout, localUnpacker);
        });
}
