namespace Soci.TestEnvironment;

/// <summary>Where the repository and its published executables are, seen from a running test.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>`out/` from `make build`, or the directory named by SOCI_BIN_DIR.</summary>
    public static string BinDirectory =>
        Environment.GetEnvironmentVariable("SOCI_BIN_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, "out");

    public static string Executable(string name)
    {
        var path = Path.Combine(BinDirectory, name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run `make build` before the integration tests", path);
    }

    public static string Script(string relativePath) => Path.Combine(Root, "scripts", relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Soci.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Soci.Actors.sln above {AppContext.BaseDirectory}");
    }
}
