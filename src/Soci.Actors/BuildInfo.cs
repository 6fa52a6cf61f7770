using System.Reflection;

namespace Soci.Actors;

/// <summary>
/// Version and source revision of this build, as both executables print them
/// (`soci version X Y`, `soci-snapshotter-grpc version X Y`, like upstream's urfave/cli line).
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    /// <summary>The release version, without the source revision suffix the SDK appends.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The git commit the binaries were built from, or "unknown" outside a git checkout.</summary>
    public static string Revision => Informational.Contains('+') ? Informational.Split('+')[1] : "unknown";

    public static string VersionLine(string program) => $"{program} version {Version} {Revision}";
}
