using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Devices;
using Portal.Security;
using Portal.Shared.DeviceData;
using Portal.Shared.Routes;

namespace Portal.Features.DeviceData;

internal static class DeviceDataEndpoints
{
    public static IEndpointRouteBuilder MapDeviceData(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup(ApiRoutes.Devices)
            .WithTags("Device data")
            .RequireAuthorization(PortalPolicies.Read);

        devices.MapGet("/{id}/data", async Task<Results<Ok<DeviceDataSeries>, ProblemHttpResult>> (
            string id, string? series, DateTimeOffset? from, DateTimeOffset? to, string? resolution,
            DeviceService devicesService, DeviceDataService data, TimeProvider clock, CancellationToken ct) =>
        {
            if (await devicesService.GetAsync(id, ct) is null)
            {
                return ApiProblems.For(OperationOutcome.NotFound, "There is no such device.");
            }

            if (string.IsNullOrWhiteSpace(series))
            {
                return ApiProblems.For(OperationOutcome.Invalid, $"Name the series with ?series=NAME; {ApiRoutes.DeviceDataSeries(id)} lists the device's series.");
            }

            var end = to ?? clock.GetUtcNow();
            var start = from ?? end.AddHours(-1);
            if (start > end)
            {
                return ApiProblems.For(OperationOutcome.Invalid, "'from' must be before 'to'.");
            }

            return await data.RangeAsync(id, series, start, end, resolution, ct) is { } found
                ? TypedResults.Ok(found)
                : ApiProblems.For(OperationOutcome.Invalid, "resolution must be raw, minute or auto.");
        });

        devices.MapGet("/{id}/data/series", async Task<Results<Ok<IReadOnlyList<DeviceDataSeriesInfo>>, ProblemHttpResult>> (
            string id, DeviceService devicesService, DeviceDataService data, CancellationToken ct) =>
            await devicesService.GetAsync(id, ct) is null
                ? ApiProblems.For(OperationOutcome.NotFound, "There is no such device.")
                : TypedResults.Ok(await data.SeriesAsync(id, ct)));

        endpoints.MapGet(ApiRoutes.DataSeries, async (DeviceDataService data, CancellationToken ct) => TypedResults.Ok(await data.SeriesAsync(null, ct)))
            .WithTags("Device data")
            .RequireAuthorization(PortalPolicies.Read);
        return endpoints;
    }
}
