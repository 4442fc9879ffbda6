namespace Portal.Features.Alerts;

/// <summary>Alerts changed (opened, fired, resolved, acknowledged); <see cref="DeviceId"/> when about one device. For live pages and the app bar's count.</summary>
public sealed record AlertsChanged(string? DeviceId);
