using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>
/// The groups the device list filters by. Implemented by Groups (a group is a set of devices, so it sits above them),
/// so this feature does not depend on it.
/// </summary>
public interface IDeviceGroups
{
    Task<IReadOnlyList<GroupDto>> ListAsync(CancellationToken cancellationToken = default);

    Task<GroupDto?> GetAsync(string id, CancellationToken cancellationToken = default);
}
