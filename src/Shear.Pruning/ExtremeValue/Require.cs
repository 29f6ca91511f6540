namespace Shear.Pruning.ExtremeValue;

/// <summary>Argument checks shared by the distributions and fits, so every message names the parameter.</summary>
internal static class Require
{
    /// <summary><paramref name="value"/> unless it is NaN or infinite.</summary>
    public static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite");

    /// <summary><paramref name="value"/> unless it is not a finite number above zero.</summary>
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and greater than 0");

    /// <summary>Throws unless <paramref name="samples"/> holds at least one value and only finite values.</summary>
    public static void FiniteSamples(double[] samples, string name)
    {
        ArgumentNullException.ThrowIfNull(samples, name);
        if (samples.Length == 0)
        {
            throw new ArgumentException($"{name} must hold at least one value", name);
        }
        foreach (double value in samples)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"{name} must hold only finite values (found {value})", name);
            }
        }
    }
}
