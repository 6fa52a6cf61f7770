using Soci.Fuse.FileSystem;

namespace Soci.Fuse.Tests.Support;

/// <summary>A filesystem mounted under a temp directory the test owns; Dispose unmounts (detaching if busy)
/// and removes the directory, also when the test failed.</summary>
public sealed class TestMount : IDisposable
{
    private TestMount(string root, FuseSession session)
    {
        Root = root;
        Session = session;
    }

    public string Root { get; }
    public FuseSession Session { get; }
    public string MountPoint => Session.MountPoint;

    public string PathOf(string relative) => Path.Combine(MountPoint, relative);

    public static TestMount Start(FuseFileSystem fs, FuseMountOptions? options = null)
    {
        var root = Directory.CreateTempSubdirectory("soci-fuse-test-").FullName;
        var mountPoint = Directory.CreateDirectory(Path.Combine(root, "mnt")).FullName;
        try
        {
            return new TestMount(root, FuseSession.Start(mountPoint, fs, options));
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Session.Dispose();
        }
        finally
        {
            Cleanup.UnmountEverythingUnder(Root);
            Directory.Delete(Root, recursive: true);
        }
    }
}
