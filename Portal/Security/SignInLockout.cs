using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Security;

/// <summary>
/// Locks an account for one source address only: <c>Portal:Security:LockoutMaxFailedAttempts</c> wrong passwords (or
/// two-factor codes, or current passwords when changing it) in a row from one address lock that address out of that
/// account for <c>LockoutMinutes</c>; the owner signing in from elsewhere is not affected. IPv6 sources count per /64,
/// since one host can use a whole /64. Kept in memory (per portal instance), bounded, forgotten on restart; the
/// account-wide lock of ASP.NET Core Identity remains behind it at the much higher
/// <c>AccountLockoutMaxFailedAttempts</c>.
/// </summary>
public sealed class SignInLockout(IOptions<PortalOptions> options, TimeProvider clock)
{
    /// <summary>Beyond this many tracked account-and-source pairs, the oldest quiet ones are forgotten first.</summary>
    public const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }

    private SecurityOptions Settings => options.Value.Security;

    private TimeSpan Period => TimeSpan.FromMinutes(Settings.LockoutMinutes);

    /// <summary>True while this source is locked out of this account.</summary>
    public bool IsLocked(string userId, IPAddress? source) => LockedUntil(userId, source) is not null;

    /// <summary>When this source's lock on this account ends; null when it is not locked.</summary>
    public DateTimeOffset? LockedUntil(string userId, IPAddress? source)
    {
        if (!entries.TryGetValue(Key(userId, source), out var entry))
        {
            return null;
        }

        lock (entry)
        {
            return entry.LockedUntil is { } until && until > clock.GetUtcNow() ? until : null;
        }
    }

    /// <summary>Counts a wrong secret from this source; true when this failure locked the source out.</summary>
    public bool RecordFailure(string userId, IPAddress? source)
    {
        var now = clock.GetUtcNow();
        if (entries.Count >= MaxTracked)
        {
            Forget(now);
        }

        var entry = entries.GetOrAdd(Key(userId, source), _ => new Entry());
        lock (entry)
        {
            // Failures "in a row": a quiet period as long as the lock starts the count again.
            if (entry.LockedUntil is { } until ? until <= now : now - entry.LastFailure > Period)
            {
                (entry.Failures, entry.LockedUntil) = (0, null);
            }

            entry.Failures++;
            entry.LastFailure = now;
            if (entry.Failures >= Settings.LockoutMaxFailedAttempts && entry.LockedUntil is null)
            {
                entry.LockedUntil = now + Period;
                return true;
            }

            return false;
        }
    }

    /// <summary>A right secret from this source clears its count.</summary>
    public void Reset(string userId, IPAddress? source) => entries.TryRemove(Key(userId, source), out _);

    /// <summary>An admin's unlock clears every source's lock on the account.</summary>
    public void Clear(string userId)
    {
        var prefix = userId + "|";
        foreach (var key in entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            entries.TryRemove(key, out _);
        }
    }

    /// <summary>The address a lock applies to: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64 network.</summary>
    public static string Source(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static string Key(string userId, IPAddress? source) => userId + "|" + Source(source);

    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, entry) in entries)
        {
            bool quiet;
            lock (entry)
            {
                quiet = entry.LockedUntil is { } until ? until <= now : now - entry.LastFailure > Period;
            }

            if (quiet)
            {
                entries.TryRemove(key, out _);
            }
        }

        // Still full of live entries (a spray from many addresses): drop the oldest half rather than grow without end.
        if (entries.Count >= MaxTracked)
        {
            foreach (var key in entries.OrderBy(e => e.Value.LastFailure).Take(entries.Count / 2).Select(e => e.Key).ToList())
            {
                entries.TryRemove(key, out _);
            }
        }
    }
}
