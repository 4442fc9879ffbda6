namespace Portal.Shared.Models.Monitoring;

/// <summary>
/// The fixed bins of every value sketch, the same on every agent and on the portal, so sketches merge and subtract
/// without sending bin edges: a bin is ±2 % wide on a log scale on each side of zero (<c>1.04</c> apart), and values
/// closer to zero than 1e-9 share bin 0. Key <c>k &gt; 0</c> holds values in (1e-9·1.04^(k−1), 1e-9·1.04^k]; negative
/// keys mirror it. Part of the wire contract: changing it changes what every stored sketch means.
/// </summary>
public static class SketchBins
{
    private const double Smallest = 1e-9;
    private static readonly double Step = Math.Log(1.04);

    public static int KeyOf(double value)
    {
        var magnitude = Math.Abs(value);
        if (!double.IsFinite(value) || magnitude < Smallest)
        {
            return 0;
        }

        var key = 1 + (int)Math.Floor(Math.Log(magnitude / Smallest) / Step);
        return value < 0 ? -key : key;
    }

    /// <summary>A representative value of the bin (its geometric middle).</summary>
    public static double ValueOf(int key)
    {
        if (key == 0)
        {
            return 0;
        }

        var magnitude = Smallest * Math.Exp((Math.Abs(key) - 0.5) * Step);
        return key < 0 ? -magnitude : magnitude;
    }
}
