using System.Globalization;
using Shear.Data;
using Shear.Experiments.Sweeps;
using Shear.Pruning.Methods;
using Xunit;

namespace Shear.Experiments.Config;

/// <summary>
/// The paper reproductions were shell scripts (tools/reproduce_*.sh, baselines_mlp.sh), one <c>shear</c> call per
/// row; they are now configs run by <c>shear run</c>. Each test transcribes a script's loops (model, data, width,
/// recipe, methods with their flags, seeds, sparsities, E and F, and which dense run a row starts from) and checks
/// the config plans exactly those runs. F is left out for pmp and lth, whose budgets do not read it.
/// </summary>
public class ReproductionConfigTests
{
    private static readonly string[] _seeds = ["1", "2", "3"];

    private static List<string> Plan(string file, string model, string data, double width, string recipeLr)
    {
        var config = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", file));
        Assert.Equal((model, data, width), (config.Model, config.Data, config.ModelOptions.Width));
        Assert.Equal(recipeLr, config.Training.LearningRate.ToString(CultureInfo.InvariantCulture));
        var plan = SweepPlan.Expand(config, data, new ImageShape(1, 28, 28), 10);
        var byId = plan.ToDictionary(r => r.Id);
        return [.. plan.Select(r => r.Method is null ? Dense(r.Training.Epochs, r.Seed)
            : Row(r.Method, Variant(r.Method, r.Request!.Method) + (r.Request.Selection == Pruning.Selection.SelectionKind.Global ? "" : $";{r.Request.Selection}"),
                r.Request.Sparsity, r.Seed, r.Training.Epochs, r.Request.FinetuneEpochs,
                r.Request.FinetuneLearningRate, r.DenseId is string id ? byId[id].Training.Epochs : null)
                + (r.MatchId is string match ? Matched(byId[match], r) : "")).Order()];
    }

    // A row pruned to another run's realised sparsity: which method and seed it copies, and whether both start from
    // the same dense run (reproduce_dpp.sh passed dpp's own --from).
    private static string Matched(Sweeps.RunSpec source, Sweeps.RunSpec run) =>
        $" as {source.Method} seed{source.Seed}{(source.DenseId == run.DenseId ? " same-dense" : "")}";

    private static string Variant(string method, MethodOptions options) => string.Join(",", MethodSettings.For(method)
        .Where(s => s.Show(options) != s.Show(MethodOptions.Reference)).Select(s => $"{s.Key}={s.Show(options)}"));

    private static string Dense(int epochs, long seed) => $"dense seed{seed} E{epochs}";

    private static string Row(string method, string variant, double sparsity, long seed, int e, int f, double? lr, int? from) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{method}[{variant}] s{sparsity} seed{seed} E{e}{(method is "pmp" or "lth" ? "" : $" F{f}")}{(lr is double r ? $" lr{r}" : "")}{(from is int d ? $" from-dense-E{d}" : "")}");

    // The channel rows both structured tables share: l1-filter and slimming, with issue 23's random-channel floor and
    // BN-recalibrated l1-filter, each from the seed's E-epoch dense model (slimming trains its own) + F epochs.
    private static string[] ChannelRows(double sparsity, long seed, int e, int f) =>
    [
        Row("l1-filter", "", sparsity, seed, e, f, null, e),
        Row("random-channel", "", sparsity, seed, e, f, null, e),
        Row("l1-filter", "bn-recalibrate=20", sparsity, seed, e, f, null, e),
        Row("slimming", "", sparsity, seed, e, f, null, null),
    ];

    private static double S(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    // MODEL  B  E  F  LTH_E LTH_R HORIZON PMP_FLAGS  sparsities (reproduce_pmp.sh), screening rows (reproduce_screening.sh)
    [InlineData("mlp", 10, 5, 5, 2, 4, 5, "", "0.7 0.8 0.9 0.95 0.98")]
    [InlineData("lenet5", 4, 2, 2, 1, 3, 2, "pmp-frequency=100", "0.7 0.8 0.9 0.95 0.98")]
    [InlineData("vgg11", 2, 1, 1, 1, 1, 2, "pmp-frequency=100", "0.8 0.9 0.97")]
    public void PmpDpp_PlansTheRowsOfReproducePmpDppAndScreening(string model, int b, int e, int f, int lthE, int lthR, int horizon, string pmpFlags, string sparsities)
    {
        var expected = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            expected.Add(Dense(b, seed));
            expected.Add(Dense(e, seed));
            foreach (double s in sparsities.Split(' ').Select(S))
            {
                expected.Add(Row("magnitude", "", s, seed, e, f, null, e));
                expected.Add(Row("pmp", Order("pmp", $"pmp-horizon={horizon}", pmpFlags), s, seed, b, f, null, null));
                if (model == "vgg11")
                {
                    expected.Add(Row("pmp", Order("pmp", "pmp-horizon=1", pmpFlags), s, seed, b, f, null, null));
                }
                expected.Add(Row("lth", $"lth-rounds={lthR}", s, seed, lthE, f, null, null));
                expected.Add(Row("snip", "", s, seed, e, f, null, null));
                expected.Add(Row("grasp", "", s, seed, e, f, null, null));
                // Issue 23: per-layer magnitude and random from the same dense model, with the same fine-tune.
                expected.Add(Row("magnitude", ";Layerwise", s, seed, e, f, null, e));
                expected.Add(Row("random", "", s, seed, e, f, null, e));
            }
            // reproduce_dpp.sh: dpp from the seed's E-epoch dense model, F fine-tune epochs; then global magnitude at
            // exactly the sparsity that seed's dpp run reached, from dpp's dense model, with its F.
            expected.Add(Row("dpp", "", 0, seed, e, f, null, e));
            expected.Add(Row("magnitude", "", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
            expected.Add(Row("magnitude", ";Layerwise", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
            expected.Add(Row("random", "", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
            if (model != "vgg11")
            {
                foreach (double s in new[] { 0.8, 0.9, 0.95 })
                {
                    expected.Add(Row("screening", "", s, seed, e, f, null, e));
                    expected.Add(Row("screening", "screening-unit=both", s, seed, e, f, null, e));
                }
            }
        }

        Assert.Equal(expected.Order(), Plan($"pmp-dpp/{model}.yaml", model, "fashion-mnist", model == "vgg11" ? 0.125 : 1, "0.1"));
    }

    // The settings in the order the method declares them (the order Variant lists them).
    private static string Order(string method, params string[] given) => string.Join(",", MethodSettings.For(method)
        .Select(s => given.FirstOrDefault(g => g.StartsWith(s.Key + "=", StringComparison.Ordinal))).OfType<string>());

    [Theory]
    // MODEL  width  data  E F (reproduce_screening.sh)  B P PFT (reproduce_cdp.sh)
    [InlineData("vgg11", 0.125, "fashion-mnist", 2, 1, 3, "0.0011", "0.00165")]
    [InlineData("resnet20", 0.5, "fashion-mnist-subset", 3, 1, 4, "0.0055", "0.0073")]
    public void ScreeningCdp_PlansTheRowsOfReproduceScreeningAndCdp(string model, double width, string data, int e, int f, int b, string p, string pft)
    {
        var expected = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            expected.Add(Dense(e, seed));
            expected.Add(Dense(b, seed));   // issue 23: the dense row at the pruned rows' budget
            foreach (double s in new[] { 0.3, 0.5 })
            {
                expected.AddRange(ChannelRows(s, seed, e, f));
                expected.Add(Row("screening", "structure=channel", s, seed, e, f, null, e));
            }
            expected.Add(Row("cdp-dtc", $"cdp-prop={p}", 0, seed, b, 0, null, null));
            expected.Add(Row("cdp-dtc", "cdp-prop=0", 0, seed, b, 0, null, null));
            expected.Add(Row("cdp-dtc", $"cdp-prop={pft}", 0, seed, b - 1, 1, 0.001, null));   // issue 23: the fine-tune lr chosen on held-out data
        }

        Assert.Equal(expected.Order(), Plan($"screening-cdp/{model}.yaml", model, data, width, "0.1"));
    }

    [Theory]
    // MODEL  width  data  E F (reproduce_structured.sh's rows at seed 1 and 30 %, default recipe; issue 23 added seeds
    // 2 and 3, 50 %, the random-channel and BN-recalibrated controls and the dense row at E + F)
    [InlineData("vgg11", 0.25, "fashion-mnist", 2, 1)]
    [InlineData("resnet20", 1, "fashion-mnist-subset", 3, 1)]
    public void Structured_PlansTheRowsOfReproduceStructured(string model, double width, string data, int e, int f)
    {
        var expected = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            expected.Add(Dense(e, seed));
            expected.Add(Dense(e + f, seed));
            foreach (double s in new[] { 0.3, 0.5 })
            {
                expected.AddRange(ChannelRows(s, seed, e, f));
            }
        }

        Assert.Equal(expected.Order(), Plan($"structured/{model}.yaml", model, data, width, "0.05"));
    }

    [Fact]
    public void DppCalibration_PlansTheRowsOfTheCalibrationTable()
    {
        // docs/results/pmp-dpp/dpp-calibration.md: seed 11, pmp's recipe, evaluated on 10 % of the training set. The
        // mlp rows prune the 5-epoch dense model and stop (5 epochs) or fine-tune 5 (10; 15 with two rounds); the
        // lenet5 rows prune the 2-epoch dense model and fine-tune 2.
        string[] unrepaired = ["", "dpp-m=2", "dpp-m=8", "dpp-law=half-laplace", "dpp-law=empirical", "dpp-model=block-gumbel",
            "dpp-model=block-gumbel,dpp-block=4", "dpp-model=block-gev"];
        string[] finetuned = ["", "dpp-m=2", "dpp-m=8", "dpp-law=half-laplace", "dpp-model=block-gev", "dpp-decision=deterministic",
            "dpp-decision=stochastic", "dpp-rounds=2"];
        string[] mlp = [Dense(5, 11), .. unrepaired.Select(v => Row("dpp", v, 0, 11, 5, 0, null, 5)),
            .. finetuned.Select(v => Row("dpp", v, 0, 11, 5, 5, null, 5))];
        string[] lenet5 = [Dense(2, 11), .. new[] { "", "dpp-m=2", "dpp-m=8" }.Select(v => Row("dpp", v, 0, 11, 2, 2, null, 2))];

        Assert.Equal(mlp.Order(), Plan("pmp-dpp/dpp-calibration-mlp.yaml", "mlp", "fashion-mnist", 1, "0.1"));
        Assert.Equal(lenet5.Order(), Plan("pmp-dpp/dpp-calibration-lenet5.yaml", "lenet5", "fashion-mnist", 1, "0.1"));
        Assert.All(new[] { "mlp", "lenet5" }, model => Assert.Equal(0.1,
            ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", "pmp-dpp", $"dpp-calibration-{model}.yaml")).Holdout));
    }

    [Fact]
    public void CdpCalibration_PlansTheRowsOfTheCalibrationTable()
    {
        // docs/results/screening-cdp/cdp-calibration.md: seed 1, pmp's recipe. VGG-11 (1/8 width, full data): E 2 +
        // F 1 at the training lr, but 3 + 0 for props 0.0016 and 0.0019; ResNet-20 (1/2 width, the subset): 3 + 1 for
        // prop 0.002, 4 + 0 for 0.003 and 0.005.
        string[] vgg11 = [Dense(2, 1), .. new[] { "0.001", "0.0014", "0.002", "0.005", "0.01" }.Select(p => Row("cdp-dtc", p == "0.001" ? "" : $"cdp-prop={p}", 0, 1, 2, 1, null, null)),
            .. new[] { "0.0016", "0.0019" }.Select(p => Row("cdp-dtc", $"cdp-prop={p}", 0, 1, 3, 0, null, null))];
        string[] resnet20 = [Dense(3, 1), Row("cdp-dtc", "cdp-prop=0.002", 0, 1, 3, 1, null, null),
            .. new[] { "0.003", "0.005" }.Select(p => Row("cdp-dtc", $"cdp-prop={p}", 0, 1, 4, 0, null, null))];

        Assert.Equal(vgg11.Order(), Plan("screening-cdp/cdp-calibration-vgg11.yaml", "vgg11", "fashion-mnist", 0.125, "0.1"));
        Assert.Equal(resnet20.Order(), Plan("screening-cdp/cdp-calibration-resnet20.yaml", "resnet20", "fashion-mnist-subset", 0.5, "0.1"));
    }

    [Fact]
    public void Baselines_PlanTheRowsOfBaselinesMlp()
    {
        var mlp = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            mlp.Add(Dense(20, seed));
            mlp.Add(Dense(10, seed));
            mlp.AddRange(new[] { "magnitude", "random" }.Select(m => Row(m, "", 0.9, seed, 10, 10, null, 10)));
            mlp.AddRange(new[] { "snip", "grasp", "synflow", "gmp" }.Select(m => Row(m, "", 0.9, seed, 10, 10, null, null)));
            mlp.Add(Row("lth", "lth-rounds=3", 0.9, seed, 5, 10, null, null));
        }
        string[] lenet5 = [Dense(20, 1), .. new[] { 0.5, 0.8, 0.9, 0.95, 0.98 }.Select(s => Row("magnitude", "", s, 1, 20, 5, null, 20))];

        Assert.Equal(mlp.Order(), Plan("baselines/mlp-90.yaml", "mlp", "fashion-mnist", 1, "0.05"));
        Assert.Equal(lenet5.Order(), Plan("baselines/lenet5-magnitude.yaml", "lenet5", "fashion-mnist", 1, "0.05"));
    }

    // Issue 23's rows must have the budgets of the tables they extend: the published cdp-dtc row of
    // ScreeningCdp_PlansTheRowsOfReproduceScreeningAndCdp (B epochs with skeletons, prop P, no fine-tune) and one change each.
    [Theory]
    [InlineData("vgg11", 0.125, "fashion-mnist", 3, "0.0011")]
    [InlineData("resnet20", 0.5, "fashion-mnist-subset", 4, "0.0055")]
    public void CdpFinalPruning_PlansThePublishedRowAndOneChangeEach(string model, double width, string data, int b, string p)
    {
        var expected = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            expected.Add(Dense(b, seed));
            foreach (string variant in new[] { $"cdp-prop={p}", $"cdp-prop={p},dtc-final=per-filter", $"cdp-form=coded,cdp-prop={p}", $"cdp-prop={p},cdp-init=swp" })
            {
                expected.Add(Row("cdp-dtc", variant, 0, seed, b, 0, null, null));
            }
        }

        Assert.Equal(expected.Order(), Plan($"screening-cdp/cdp-final-pruning-{model}.yaml", model, data, width, "0.1"));
    }

    // The pmp-dpp budgets (PmpDpp_PlansTheRowsOfReproducePmpDppAndScreening): dense B, pruned rows from the seed's
    // E-epoch dense model + F.
    [Theory]
    [InlineData("mlp", 10, 5, 5)]
    [InlineData("lenet5", 4, 2, 2)]
    public void Layerwise_PlansPerLayerMagnitudeAndRandomAtThePmpDppBudgets(string model, int b, int e, int f)
    {
        var expected = new List<string>();
        foreach (string seedText in _seeds)
        {
            long seed = long.Parse(seedText, CultureInfo.InvariantCulture);
            expected.Add(Dense(b, seed));
            expected.Add(Dense(e, seed));
            foreach (double s in new[] { 0.7, 0.8, 0.9, 0.95, 0.98 })
            {
                expected.Add(Row("magnitude", "", s, seed, e, f, null, e));
                expected.Add(Row("magnitude", ";Layerwise", s, seed, e, f, null, e));
                expected.Add(Row("random", "", s, seed, e, f, null, e));
            }
            string dpp = Row("dpp", "", 0, seed, e, f, null, e);
            expected.Add(dpp);
            expected.Add(Row("magnitude", "", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
            expected.Add(Row("magnitude", ";Layerwise", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
            expected.Add(Row("random", "", 0, seed, e, f, null, e) + $" as dpp seed{seed} same-dense");
        }

        Assert.Equal(expected.Order(), Plan($"pmp-dpp/layerwise-{model}.yaml", model, "fashion-mnist", 1, "0.1"));
    }

    // Screening's choices and its test rows: every pruned row costs the same 20 + 29 epochs as the dense row's 49
    // (one-shot: E + F; annealed: E + (T - 1) k + F), and the choices are made on held-out data only.
    [Theory]
    // FILE  held out  E  budget (pruned rows: E dense epochs, (T - 1) x step epochs, the final fine-tune)
    [InlineData("choose-mlp", true, 20, 49)]
    [InlineData("test-mlp", false, 20, 49)]
    [InlineData("choose-lenet5", true, 10, 29)]
    [InlineData("test-lenet5", false, 10, 29)]
    public void ScreeningHoldout_EveryRowHasTheDenseRowsBudget(string file, bool heldOut, int e, int budget)
    {
        var config = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", "screening-holdout", file + ".yaml"));
        var plan = SweepPlan.Expand(config, "fashion-mnist", new ImageShape(1, 28, 28), 10);

        Assert.Equal(heldOut, config.Holdout > 0);
        Assert.Equal(heldOut ? [11L] : _seeds.Select(long.Parse), config.Seeds);
        Assert.Equal([e, budget], plan.Where(r => r.Method is null).Select(r => r.Training.Epochs).Distinct().Order());
        Assert.All(plan.Where(r => r.Method is not null), r =>
        {
            var o = r.Request!.Method;
            int steps = r.Method == "screening" ? (o.ScreeningSteps - 1) * o.ScreeningStepEpochs : 0;
            Assert.Equal((e, budget), (r.Training.Epochs, r.Training.Epochs + steps + r.Request.FinetuneEpochs));
            Assert.Equal(0.01, r.Request.FinetuneLearningRate);
        });
    }

    // Choices made on held-out data (issue 23): each candidate has the test table's budget, is scored on the held-out
    // 10 %, and uses seeds the test table does not.
    [Fact]
    public void ChooseVgg11_ComparesBothPmpHorizonsAtTheTestTablesBudgetOnHeldOutData()
    {
        var config = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", "pmp-dpp", "choose-vgg11.yaml"));
        var test = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", "pmp-dpp", "vgg11.yaml"));

        Assert.Equal(0.1, config.Holdout);
        Assert.Empty(config.Seeds.Intersect(test.Seeds));
        Assert.Equal(test.Sparsities, config.Sparsities);
        var plan = SweepPlan.Expand(config, "fashion-mnist", new ImageShape(1, 28, 28), 10);
        var pmp = plan.Where(r => r.Method == "pmp").ToList();
        Assert.Equal([1, 2], pmp.Select(r => r.Request!.Method.PmpHorizon).Distinct().Order());
        Assert.All(pmp, r => Assert.Equal((2, 100), (r.Training.Epochs, r.Request!.Method.PmpFrequency)));
    }

    [Theory]
    [InlineData("vgg11", 0.125, "fashion-mnist", 2, "0.00165")]
    [InlineData("resnet20", 0.5, "fashion-mnist-subset", 3, "0.0073")]
    public void CdpChooseLr_IsThePublishedFineTunedRowAtThreeRatesOnHeldOutData(string model, double width, string data, int e, string prop)
    {
        var config = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "configs", "experiments", "screening-cdp", $"cdp-choose-lr-{model}.yaml"));
        Assert.Equal(0.1, config.Holdout);
        Assert.Empty(config.Seeds.Intersect([1L, 2L, 3L]));

        var expected = new List<string>();
        foreach (long seed in new long[] { 11, 12, 13 })
        {
            expected.Add(Dense(e, seed));
            foreach (double lr in new[] { 0.001, 0.01, 0.1 })
            {
                expected.Add(Row("cdp-dtc", $"cdp-prop={prop}", 0, seed, e, 1, lr, null));
            }
        }
        Assert.Equal(expected.Order(), Plan($"screening-cdp/cdp-choose-lr-{model}.yaml", model, data, width, "0.1"));
    }
}
