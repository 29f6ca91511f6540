using Shear.Pruning.Selection;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Config;

public class ConfigLoaderTests
{
    private const string Valid = """
        name: tiny
        data: fashion-mnist-subset
        model:
          key: mlp
          widths: [32]
        training:
          epochs: 2
          lr: 0.1
        finetune:
          epochs: 1
        methods:
          - method: magnitude
            selection: layerwise
          - method: lth
            lth-rounds: 2
        sparsities: [0.5, 0.9]
        seeds: [1, 2]
        """;

    private static ExperimentConfig LoadText(TempDirectory dir, string text)
    {
        File.WriteAllText(dir.File("c.yaml"), text);
        return ConfigLoader.Load(dir.File("c.yaml"));
    }

    private static ConfigException Fails(string text, out string file)
    {
        var dir = new TempDirectory();
        file = dir.File("c.yaml");
        File.WriteAllText(file, text);
        string path = file;
        try
        {
            return Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public void Load_ValidFile_ReadsEveryField()
    {
        using var dir = new TempDirectory();

        var config = LoadText(dir, Valid);

        Assert.Equal("tiny", config.Name);
        Assert.Equal([32], config.ModelOptions.Widths);
        Assert.Equal((2, 0.1), (config.Training.Epochs, config.Training.LearningRate));
        Assert.Equal(0.9, config.Training.Momentum);
        Assert.Equal(SelectionKind.Layerwise, config.Methods[0].Selection);
        Assert.Equal(2, config.Methods[1].Options.LthRounds);
        Assert.Equal([0.5, 0.9], config.Sparsities);
        Assert.Equal([1L, 2L], config.Seeds);
    }

    [Fact]
    public void Write_ThenLoad_GivesTheSameConfig()
    {
        using var dir = new TempDirectory();
        var config = LoadText(dir, Valid);

        string resolved = ConfigWriter.Write(config);
        var again = LoadText(dir, resolved);

        Assert.Equal(resolved, ConfigWriter.Write(again));
        Assert.Contains("weight-decay: 0.0005", resolved, StringComparison.Ordinal);
        Assert.Contains("lth-rate: 0.2", resolved, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_NamesFileLineAndKey()
    {
        var e = Fails(Valid.Replace("  lr: 0.1", "  lr: 0.1\n  learning-rate: 0.2", StringComparison.Ordinal), out string file);

        Assert.StartsWith($"{file}:9:3: training.learning-rate: unknown key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongType_NamesTheKeyAndValue()
    {
        var e = Fails(Valid.Replace("epochs: 2", "epochs: two", StringComparison.Ordinal), out string file);

        Assert.Equal($"{file}:7:11: training.epochs: expected an integer, got 'two'", e.Message);
    }

    [Fact]
    public void Load_MissingRequiredField_NamesIt()
    {
        var e = Fails(Valid.Replace("name: tiny\n", "", StringComparison.Ordinal), out string file);

        Assert.Equal($"{file}: missing required field 'name'", e.Message);
    }

    [Fact]
    public void Load_MethodOptionOfAnotherMethod_NamesBoth()
    {
        var e = Fails(Valid.Replace("    selection: layerwise", "    lth-rounds: 3", StringComparison.Ordinal), out string file);

        Assert.StartsWith($"{file}:13:17: methods[0].lth-rounds: applies to lth, not to method magnitude", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownMethodAndModel_ListTheKnownOnes()
    {
        var method = Fails(Valid.Replace("method: magnitude", "method: magic", StringComparison.Ordinal), out _);
        var model = Fails(Valid.Replace("key: mlp", "key: alexnet", StringComparison.Ordinal), out _);

        Assert.Contains("methods[0].method: unknown method 'magic' (known: random, magnitude", method.Message, StringComparison.Ordinal);
        Assert.Contains("model.key: unknown model 'alexnet' (known: mlp, lenet5", model.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SparsityOf_ReadsTheSourceAndRoundTrips()
    {
        using var dir = new TempDirectory();
        var config = LoadText(dir, Valid.Replace("    lth-rounds: 2\n", "    lth-rounds: 2\n  - method: dpp\n  - method: random\n    sparsity-of: dpp\n", StringComparison.Ordinal));

        Assert.Equal("dpp", config.Methods[3].SparsityOf);
        Assert.Same(config.Methods[2], config.SourceOf(config.Methods[3]));
        string resolved = ConfigWriter.Write(config);
        Assert.Contains("    sparsity-of: dpp\n", resolved, StringComparison.Ordinal);
        Assert.Equal(resolved, ConfigWriter.Write(LoadText(dir, resolved)));
    }

    [Theory]
    // A method that finds its own sparsity, a list beside it, a source that is not an automatic entry, two sources.
    [InlineData("  - method: dpp\n    sparsity-of: dpp\n", "methods[2].sparsity-of: method dpp finds its own sparsity; drop sparsity-of")]
    [InlineData("  - method: dpp\n  - method: random\n    sparsities: [0.5]\n    sparsity-of: dpp\n", "methods[3].sparsity-of: excludes sparsities")]
    [InlineData("  - method: random\n    sparsity-of: magnitude\n", "methods[2].sparsity-of: names no automatic method of this config ('magnitude'; automatic here: none)")]
    [InlineData("  - method: dpp\n  - method: dpp\n    dpp-m: 8\n  - method: random\n    sparsity-of: dpp\n", "methods[4].sparsity-of: 'dpp' is listed 2 times")]
    public void Load_BadSparsityOf_NamesItsKeyAndPosition(string entries, string message)
    {
        var e = Fails(Valid.Replace("    lth-rounds: 2\n", "    lth-rounds: 2\n" + entries, StringComparison.Ordinal), out string file);

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(file)}:\\d+:\\d+: {System.Text.RegularExpressions.Regex.Escape(message)}", e.Message);
    }

    [Fact]
    public void Load_SparsityOutOfRange_NamesTheEntry()
    {
        var e = Fails(Valid.Replace("[0.5, 0.9]", "[0.5, 1.5]", StringComparison.Ordinal), out string file);

        Assert.Equal($"{file}:16:19: sparsities[1]: must be in [0, 1), got 1.5", e.Message);
    }

    [Fact]
    public void Load_InvalidRecipeValue_IsAnError()
    {
        var e = Fails(Valid.Replace("lr: 0.1", "lr: -1", StringComparison.Ordinal), out string file);

        Assert.Equal($"{file}:8:7: training.lr: must be positive, got -1", e.Message);
    }

    [Fact]
    public void Load_PmpSettingsAndRecipe_AreReadAndRoundTrip()
    {
        using var dir = new TempDirectory();
        string text = Valid.Replace("  epochs: 2\n  lr: 0.1", "  recipe: pmp\n  epochs: 2", StringComparison.Ordinal)
            .Replace("  - method: lth\n    lth-rounds: 2", "  - method: pmp\n    pmp-horizon: 1\n    pmp-ramp: cubic\n    pmp-regrowth: true", StringComparison.Ordinal);

        var config = LoadText(dir, text);
        var again = LoadText(dir, ConfigWriter.Write(config));

        Assert.Equal((0.1, 0.1), (config.Training.LearningRate, config.Training.LabelSmoothing));
        var pmp = again.Methods[1].Options;
        Assert.Equal((1, Shear.Pruning.Schedules.RampShape.Cubic, true), (pmp.PmpHorizon, pmp.PmpRamp, pmp.PmpRegrowth));
        Assert.Equal(0.1, again.Training.LabelSmoothing);
    }

    [Theory]
    [InlineData("    pmp-ramp: square", "methods[1].pmp-ramp: expected one of linear, cubic, got 'square'")]
    [InlineData("    pmp-horizon: soon", "methods[1].pmp-horizon: expected an integer, got 'soon'")]
    public void Load_BadMethodSettingValue_NamesTheKeyAndWhatItExpected(string line, string message)
    {
        var e = Fails(Valid.Replace("  - method: lth\n    lth-rounds: 2", "  - method: pmp\n" + line, StringComparison.Ordinal), out string file);

        Assert.StartsWith(file + ":15:", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownRecipe_ListsTheKnownOnes()
    {
        var e = Fails(Valid.Replace("  lr: 0.1", "  recipe: fast", StringComparison.Ordinal), out _);

        Assert.Contains("training.recipe: unknown recipe 'fast' (known: default, pmp)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Holdout_IsReadWrittenAndChecked()
    {
        using var dir = new TempDirectory();

        var config = LoadText(dir, Valid.Replace("data: fashion-mnist-subset\n", "data: fashion-mnist-subset\nholdout: 0.1\n", StringComparison.Ordinal));
        var plain = LoadText(dir, Valid);
        var e = Fails(Valid.Replace("data: fashion-mnist-subset\n", "data: fashion-mnist-subset\nholdout: 0.6\n", StringComparison.Ordinal), out string file);

        Assert.Equal((0.1, 0.0), (config.Holdout, plain.Holdout));
        Assert.Equal(0.1, LoadText(dir, ConfigWriter.Write(config)).Holdout);
        Assert.Equal($"{file}:3:10: holdout: must be in (0, 0.5] (0: the test set), got 0.6", e.Message);
    }

    [Fact]
    public void Load_NoSparsities_OnlyWhenEveryMethodHasItsOwnTargets()
    {
        using var dir = new TempDirectory();
        string auto = Valid.Replace("  - method: lth\n    lth-rounds: 2\n", "  - method: dpp\n", StringComparison.Ordinal)
            .Replace("    selection: layerwise\n", "    sparsities: [0.8]\n", StringComparison.Ordinal);

        var config = LoadText(dir, auto.Replace("sparsities: [0.5, 0.9]\n", "", StringComparison.Ordinal));
        var missing = Fails(Valid.Replace("sparsities: [0.5, 0.9]\n", "", StringComparison.Ordinal), out string file);
        var empty = Fails(Valid.Replace("[0.5, 0.9]", "[]", StringComparison.Ordinal), out string emptyFile);

        Assert.Empty(config.Sparsities);
        Assert.Equal([0.8], config.Methods[0].Sparsities);
        Assert.Empty(LoadText(dir, ConfigWriter.Write(config)).Sparsities);
        Assert.Equal($"{file}: missing required field 'sparsities'", missing.Message);
        Assert.Equal($"{emptyFile}:16:13: sparsities: must list at least one entry", empty.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ConfigLoader.Load("/no/such/config.yaml"));

        Assert.Contains("/no/such/config.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedConfigs_AllLoad()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "configs");
        var files = Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories);

        Assert.NotEmpty(files);
        Assert.All(files, f => ConfigLoader.Load(f));
    }
}
