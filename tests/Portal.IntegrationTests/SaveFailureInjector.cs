using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data;

namespace Portal.IntegrationTests;

/// <summary>
/// A test seam in the real EF pipeline: the next save that adds a device group throws the armed exception, as a full
/// disk, a lost database or a bug would. Saves of anything else (audit, telemetry, heartbeats) are left alone.
/// </summary>
internal sealed class SaveFailureInjector : SaveChangesInterceptor
{
    private Exception? armed;

    public void FailNextGroupSave(Exception exception) => armed = exception;

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.ChangeTracker.Entries<DeviceGroup>().Any(e => e.State == EntityState.Added) == true
            && Interlocked.Exchange(ref armed, null) is { } exception)
        {
            throw exception;
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
