using Microsoft.ML.OnnxRuntime;

namespace Portal.Agent.Inference;

/// <summary>
/// An inference session shared by concurrent runs, each holding a lease: disposing it (an unload, an eviction) frees
/// the session at once when nothing runs on it, otherwise when the last lease ends. No run ever touches a freed session.
/// </summary>
public sealed class SharedSession(InferenceSession session) : IDisposable
{
    private int references = 1;
    private int retired;

    /// <summary>The session, valid while a lease from <see cref="Acquire"/> is held (or before disposal, to its owner).</summary>
    public InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref references) == 0, this);
            return session;
        }
    }

    /// <summary>Keeps the session open until the lease is disposed; null once it has been disposed.</summary>
    public IDisposable? Acquire()
    {
        while (true)
        {
            var count = Volatile.Read(ref references);
            if (count == 0 || Volatile.Read(ref retired) == 1)
            {
                return null;
            }

            if (Interlocked.CompareExchange(ref references, count + 1, count) == count)
            {
                return new Lease(this);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref retired, 1) == 0)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            session.Dispose();
        }
    }

    private sealed class Lease(SharedSession owner) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
