using System.Text.Json;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>CDP's terms against PyTorch autograd (the fixture <c>peers/cdp_penalty.py</c> wrote), the intended form's
/// ratios, and no NaN where the public code produces it.</summary>
public class TexturePenaltyTests
{
    public static TheoryData<string> Terms() => ["var", "var2", "l1", "l2", "group", "coded", "intended"];

    private static CdpCoefficients Only(string term) => term switch
    {
        "var" => new(CdpForm.Coded, 0, Var: 1),
        "var2" => new(CdpForm.Coded, 0, Var2: 1),
        "l1" => new(CdpForm.Intended, 0, L1: 1),
        "l2" => new(CdpForm.Coded, 0, L2: 1),
        "group" => new(CdpForm.Coded, 0, Group: 1),
        "coded" => new(CdpForm.Coded, 1),
        "intended" => new(CdpForm.Intended, 1),
        _ => throw new ArgumentException(term),
    };

    private static double[] Flat(JsonElement nested) => nested.ValueKind == JsonValueKind.Array
        ? [.. nested.EnumerateArray().SelectMany(Flat)] : [nested.GetDouble()];

    [Theory]
    [MemberData(nameof(Terms))]
    public void Compute_EachTerm_MatchesPyTorchValueAndGradients(string term)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "cdp_penalty.json")));
        var root = document.RootElement;
        var expected = root.GetProperty("terms").GetProperty(term);
        using var weight = tensor(Flat(root.GetProperty("weight"))).reshape(4, 3, 3, 3).requires_grad_(true);
        using var skeleton = tensor(Flat(root.GetProperty("skeleton"))).reshape(4, 3, 3).requires_grad_(true);

        using var penalty = new TexturePenalty(Only(term)).Compute(weight, skeleton);
        penalty.backward();

        Assert.Equal(expected.GetProperty("value").GetDouble(), penalty.item<double>(), 1e-9);
        double[] gradWeight = weight.grad?.data<double>().ToArray() ?? new double[weight.numel()];
        double[] gradSkeleton = skeleton.grad?.data<double>().ToArray() ?? new double[skeleton.numel()];
        Assert.All(Flat(expected.GetProperty("grad_weight")).Zip(gradWeight), p => Assert.Equal(p.First, p.Second, 1e-9));
        Assert.All(Flat(expected.GetProperty("grad_skeleton")).Zip(gradSkeleton), p => Assert.Equal(p.First, p.Second, 1e-9));
    }

    [Fact]
    public void Compute_AtInitialisation_HasFiniteGradients()
    {
        // Skeletons start as ones: every filter equals the mean, cos = 1, and arccos' gradient is infinite there.
        using var weight = randn(8, 4, 3, 3, generator: new Generator(1)).requires_grad_(true);
        using var skeleton = ones(8, 3, 3).requires_grad_(true);
        var all = new CdpCoefficients(CdpForm.Intended, 1e-3, Var: 1e-3, Var2: 1e-3, L1: 1e-3, L2: 1e-3, Group: 1e-3);

        using var penalty = new TexturePenalty(all).Compute(weight, skeleton);
        penalty.backward();

        Assert.True(double.IsFinite(penalty.item<float>()));
        Assert.False(skeleton.grad!.isnan().any().item<bool>() || skeleton.grad.isinf().any().item<bool>());
        Assert.False(weight.grad!.isnan().any().item<bool>() || weight.grad.isinf().any().item<bool>());
    }

    [Fact]
    public void Compute_IntendedForm_RebalancesByTheChangeInTextureSimilarity()
    {
        var penalty = new TexturePenalty(new CdpCoefficients(CdpForm.Intended, 2));
        using var first = tensor(new double[] { 1, 1, 1, 1, 1, 0, 0, 1 }).reshape(2, 2, 2);
        using var second = tensor(new double[] { 1, 0, 0, 0, 0, 0, 0, 1 }).reshape(2, 2, 2);
        using var weight = ones(2, 1, 2, 2, dtype: float64);
        double S(Tensor fs)
        {
            using var rows = fs.flatten(1);
            using var mean = rows.mean([0], keepdim: true);
            using var similarity = TexturePenalty.Angular(rows, mean).sum();
            return similarity.item<double>();
        }

        using (penalty.Compute(weight, first))
        {
            Assert.Equal((2.0, 2.0), penalty.LastRatios);
        }
        using (penalty.Compute(weight, second))
        {
            double previous = S(first), now = S(second);
            Assert.Equal(2 * previous / now, penalty.LastRatios.A, 12);
            Assert.Equal(2 * now / previous, penalty.LastRatios.B, 12);
            Assert.NotEqual(penalty.LastRatios.A, penalty.LastRatios.B);
        }
    }
}
