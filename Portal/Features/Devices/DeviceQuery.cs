using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>What the Devices grid asks for: a page, a sort and filters, all applied in the database.</summary>
public sealed record DeviceQuery(
    int Page = 0,
    int PageSize = 25,
    string? Search = null,
    DeviceStatus? Status = null,
    string SortBy = nameof(DeviceDto.Name),
    bool Descending = false,
    string? Label = null,
    string? GroupId = null,
    string? AgentVersion = null);
