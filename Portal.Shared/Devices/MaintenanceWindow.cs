namespace Portal.Shared.Devices;

/// <summary>
/// A weekly window in which a group's devices may be changed: on <see cref="Days"/> ("Monday" … "Sunday"; "Mon" … "Sun"
/// also read), from <see cref="Start"/> ("02:00", local time in <see cref="TimeZone"/>, an IANA zone such as
/// "Europe/Madrid") for <see cref="DurationMinutes"/>. A window may run past midnight. Deployments set to respect
/// maintenance windows release a device only while one of its groups' windows is open.
/// </summary>
public sealed record MaintenanceWindow(IReadOnlyList<string> Days, string Start, int DurationMinutes, string TimeZone);

/// <summary>Replaces a group's maintenance windows (an empty list removes them).</summary>
public sealed record SaveMaintenanceWindowsRequest(IReadOnlyList<MaintenanceWindow>? Windows);
