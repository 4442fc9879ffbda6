using System.Runtime.InteropServices;

namespace Portal.Agent.Storage;

/// <summary>
/// fsync on a folder, so a rename inside it survives a power cut (.NET opens no handle on a folder). A no-op on Windows,
/// where a rename is made durable by the file system itself. Best effort: the renamed file is already in place, and a
/// file system that cannot flush a folder (some network and FUSE ones) must not turn a good write into an error.
/// </summary>
internal static class DirectorySync
{
    /// <summary>True when the folder was flushed.</summary>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        int fd;
        try
        {
            fd = Open(System.Text.Encoding.UTF8.GetBytes(directory + "\0"), 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library under another name: the files themselves were flushed; only the rename's durability is lost.
            return false;
        }

        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
