namespace Portal.Features.DeviceActions;

/// <summary>Published when a device's action is asked for, sent, answered or given up on, for the device's page.</summary>
public sealed record DeviceActionChanged(string DeviceId);
