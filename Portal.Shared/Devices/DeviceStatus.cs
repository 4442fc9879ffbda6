namespace Portal.Shared.Devices;

public enum DeviceStatus
{
    Offline,
    Online,
    Revoked,
}
