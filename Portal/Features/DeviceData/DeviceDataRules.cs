using System.Text.RegularExpressions;
using Portal.Shared.DeviceData;

namespace Portal.Features.DeviceData;

/// <summary>
/// What the portal accepts as device data from an agent. A malformed batch is rejected whole, saying why; a bad point
/// is left out (and counted) while the rest of its batch is stored, so one wrong value never costs the others.
/// </summary>
public static partial class DeviceDataRules
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>What makes the whole batch unreadable (its shape); null when its points can be looked at one by one.</summary>
    public static string? Problem(DeviceDataBatch? batch)
    {
        if (batch?.Points is null)
        {
            return "The batch is empty.";
        }

        if (batch.Points.Count > DeviceDataBatch.MaxPoints)
        {
            return $"A batch may carry at most {DeviceDataBatch.MaxPoints} points, not {batch.Points.Count}.";
        }

        if (batch.DroppedSinceLastBatch < 0)
        {
            return "The dropped-point count is negative.";
        }

        long previous = 0;
        foreach (var p in batch.Points)
        {
            if (p is null || p.Sequence <= previous)
            {
                return "Points must have positive sequence numbers in increasing order.";
            }

            previous = p.Sequence;
        }

        return null;
    }

    /// <summary>
    /// Why one point is not stored (the others of its batch are): a bad name or unit, not a number, a time the
    /// device's clock got wrong. Null for a good point.
    /// </summary>
    /// <param name="maxAge">Older points would be deleted by retention at once (and a device with its clock at 1970 is wrong).</param>
    public static string? PointProblem(DeviceDataPoint p, DateTimeOffset now, TimeSpan maxAge)
    {
        if (string.IsNullOrEmpty(p.Series) || !Name().IsMatch(p.Series) || (p.Flow is not null && !Name().IsMatch(p.Flow)))
        {
            return $"Point {p.Sequence}: a series or flow name is 1 to {DeviceDataPoint.MaxNameLength} letters, digits and . _ - /, starting with a letter, digit or _.";
        }

        if (p.Unit is { Length: > DeviceDataPoint.MaxUnitLength } || (p.Unit is not null && p.Unit.Any(char.IsControl)))
        {
            return $"Point {p.Sequence}: a unit is at most {DeviceDataPoint.MaxUnitLength} printable characters.";
        }

        if (!double.IsFinite(p.Value))
        {
            return $"Point {p.Sequence} ({p.Series}) is not a finite number.";
        }

        if (p.At > now + MaxClockSkew)
        {
            return $"Point {p.Sequence} is dated {p.At:u}, in the future: check the device's clock.";
        }

        return p.At < now - maxAge ? $"Point {p.Sequence} is dated {p.At:u}, older than device data is kept: check the device's clock." : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_./-]{0,127}$")]
    private static partial Regex Name();
}
