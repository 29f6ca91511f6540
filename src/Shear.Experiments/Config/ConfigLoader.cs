using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Shear.Experiments.Config;

/// <summary>Reads an experiment YAML strictly: unknown keys, wrong types, missing required fields and invalid
/// values are <see cref="ConfigException"/>s naming file, line and key.</summary>
public static class ConfigLoader
{
    private static readonly string[] _top = ["name", "data", "holdout", "model", "training", "finetune", "scope", "on-collapse", "methods", "sparsities", "seeds"];
    private static readonly string[] _model = ["key", .. ModelSettings.All.Select(s => s.Key)];
    private static readonly string[] _training = ["recipe", .. TrainingSettings.All.Select(s => s.Key)];
    // A method's own budget and targets, overriding the experiment's for its rows.
    private static readonly string[] _budget = ["epochs", "finetune-epochs", "finetune-lr", "sparsities", "sparsity-of"];
    private static readonly string[] _finetune = ["epochs", "lr"];
    private static readonly string[] _scope = [.. ScopeSettings.All.Select(s => s.Key)];

    /// <summary>Loads and validates <paramref name="path"/>: every cell of the matrix is checked as its run will
    /// check it, except what needs the data; given <paramref name="trainingSamples"/>, the size of the training set
    /// the sweep will use, that too (a rewind step against the steps of a round).</summary>
    public static ExperimentConfig Load(string path, int? trainingSamples = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: config file not found", path);
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{path}:{e.Start.Line}:{e.Start.Column}: not valid YAML ({e.Message})", e);
        }
        if (stream.Documents.Count != 1)
        {
            throw new ConfigException($"{path}: expected one YAML document, found {stream.Documents.Count}");
        }
        return Read(new YamlFields(path), stream.Documents[0].RootNode, path, trainingSamples);
    }

    private static ExperimentConfig Read(YamlFields y, YamlNode root, string path, int? trainingSamples)
    {
        var top = y.Mapping(root, "", _top);
        YamlNode Required(string key) => top.TryGetValue(key, out var node) ? node : throw new ConfigException($"{path}: missing required field '{key}'");
        var (model, modelOptions) = ReadModel(y, Required("model"));
        var training = top.TryGetValue("training", out var t) ? ReadTraining(y, t) : new TrainingOptions();
        var config = new ExperimentConfig
        {
            Name = y.String(Required("name"), "name"),
            Data = top.TryGetValue("data", out var d) ? y.String(d, "data") : "fashion-mnist",
            Holdout = top.TryGetValue("holdout", out var h) ? Holdout(y, h) : 0,
            Model = model,
            ModelOptions = modelOptions,
            Training = training,
            Scope = top.TryGetValue("scope", out var s) ? ReadScope(y, s) : PrunableScope.Default,
            OnCollapse = top.TryGetValue("on-collapse", out var c) ? Request(y, c, "on-collapse", RequestSettings.OnCollapse).OnCollapse : CollapsePolicy.Warn,
            Methods = [.. y.Sequence(Required("methods"), "methods").Select((m, i) => ReadMethod(y, m, $"methods[{i}]"))],
            Sparsities = top.TryGetValue("sparsities", out var list) ? [.. y.Sequence(list, "sparsities").Select((n, i) => Sparsity(y, n, $"sparsities[{i}]"))] : [],
            Seeds = top.TryGetValue("seeds", out var seeds) ? [.. y.Sequence(seeds, "seeds").Select((n, i) => y.Long(n, $"seeds[{i}]"))] : [1],
        };
        if (top.TryGetValue("finetune", out var f))
        {
            var fields = y.Mapping(f, "finetune", _finetune);
            config = config with
            {
                FinetuneEpochs = fields.TryGetValue("epochs", out var e) ? Request(y, e, "finetune.epochs", RequestSettings.FinetuneEpochs).FinetuneEpochs : config.FinetuneEpochs,
                FinetuneLearningRate = fields.TryGetValue("lr", out var lr) ? Request(y, lr, "finetune.lr", RequestSettings.FinetuneLearningRate).FinetuneLearningRate : null,
            };
        }
        CheckNonEmpty(y, top, "methods", config.Methods.Count);
        // Only methods that take the experiment's targets need them: one that finds its own sparsity, or lists its
        // own, does not.
        if (config.Sparsities.Count == 0 && config.Methods.Any(m => m.Sparsities is null && m.SparsityOf is null && !PruningMethods.Get(m.Key).ChoosesSparsity))
        {
            _ = Required("sparsities");
            CheckNonEmpty(y, top, "sparsities", 0);
        }
        CheckNonEmpty(y, top, "seeds", config.Seeds.Count);
        // Each method's requests, with its own budget, checked as the run will check them (the method's own checks
        // included); a problem is reported at the key it comes from where that key was given.
        var entries = y.Sequence(top["methods"], "methods");
        for (int i = 0; i < config.Methods.Count; i++)
        {
            var method = config.Methods[i];
            var info = PruningMethods.Get(method.Key);
            CheckSparsityOf(y, config, info, y.Mapping(entries[i], $"methods[{i}]", MethodKeys), $"methods[{i}]");
            // As the sweep runs it: a method that prunes a trained model starts from its seed's dense run.
            var shape = new RunShape { FromTrained = info.PrunesTrainedModel, TrainingSamples = trainingSamples };
            foreach (var target in method.Targets(info, config.Sparsities))
            {
                if (info.Validate(config.Request(method, target, config.Seeds[0]), shape) is [var problem, ..])
                {
                    throw ProblemAt(y, top, y.Mapping(entries[i], $"methods[{i}]", MethodKeys), $"methods[{i}]", problem);
                }
            }
        }
        return config;
    }

    // sparsity-of names exactly one automatic entry of this config, and only a method that takes a target reads it.
    private static void CheckSparsityOf(YamlFields y, ExperimentConfig config, PruningMethodInfo info, Dictionary<string, YamlNode> entry, string path)
    {
        if (!entry.TryGetValue("sparsity-of", out var node))
        {
            return;
        }
        string source = y.String(node, path + ".sparsity-of");
        var automatic = config.Methods.Where(m => PruningMethods.Get(m.Key).ChoosesSparsity).ToList();
        string? problem = info.ChoosesSparsity ? $"method {info.Key} finds its own sparsity; drop sparsity-of"
            : entry.ContainsKey("sparsities") ? "excludes sparsities: give one or the other"
            : automatic.Count(m => m.Key == source) switch
            {
                1 => null,
                0 => $"names no automatic method of this config ('{source}'; automatic here: {(automatic.Count == 0 ? "none" : string.Join(", ", automatic.Select(m => m.Key).Distinct()))})",
                int n => $"'{source}' is listed {n} times; sparsity-of needs exactly one such entry",
            };
        if (problem is not null)
        {
            throw y.Error(node, path + ".sparsity-of", problem);
        }
    }

    private static string[] MethodKeys => ["method", "selection", .. _budget, .. MethodSettings.All.Select(s => s.Key)];

    // "--finetune-epochs must be ..." at the method's finetune-epochs, else at finetune.epochs, else at the entry.
    private static ConfigException ProblemAt(YamlFields y, Dictionary<string, YamlNode> top, Dictionary<string, YamlNode> entry, string path, string problem)
    {
        string key = problem.StartsWith("--", StringComparison.Ordinal) ? problem[2..].Split(' ')[0] : "";
        string text = key.Length > 0 ? problem[(key.Length + 3)..] : problem;
        if (entry.TryGetValue(key, out var own))
        {
            return y.Error(own, $"{path}.{key}", text);
        }
        string? sub = key switch { "finetune-epochs" => "epochs", "finetune-lr" => "lr", _ => null };
        var given = top.GetValueOrDefault("finetune") is YamlMappingNode finetune && sub is not null
            ? finetune.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var name } && name == sub).Value
            : null;
        return given is not null ? y.Error(given, $"finetune.{sub}", text) : y.Error(entry.GetValueOrDefault("method") ?? top["methods"], path, problem);
    }

    private static void CheckNonEmpty(YamlFields y, Dictionary<string, YamlNode> top, string key, int count)
    {
        if (count == 0)
        {
            throw y.Error(top[key], key, "must list at least one entry");
        }
    }

    private static (string Key, ModelOptions Options) ReadModel(YamlFields y, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            return (ModelKey(y, node, "model"), new ModelOptions());
        }
        var fields = y.Mapping(node, "model", _model);
        string key = fields.TryGetValue("key", out var k) ? ModelKey(y, k, "model.key") : throw y.Error(node, "model", "missing required field 'key'");
        return (key, y.Settings(node, fields, "model", ModelSettings.All, new ModelOptions()));
    }

    private static string ModelKey(YamlFields y, YamlNode node, string path)
    {
        string key = y.String(node, path);
        return ModelZoo.All.Any(d => d.Key == key) ? key
            : throw y.Error(node, path, $"unknown model '{key}' (known: {string.Join(", ", ModelZoo.All.Select(d => d.Key))})");
    }

    private static TrainingOptions ReadTraining(YamlFields y, YamlNode node)
    {
        var f = y.Mapping(node, "training", _training);
        var o = new TrainingOptions();
        if (f.TryGetValue("recipe", out var recipe))
        {
            string name = y.String(recipe, "training.recipe");
            o = TrainingRecipes.All.TryGetValue(name, out var preset) ? preset
                : throw y.Error(recipe, "training.recipe", $"unknown recipe '{name}' (known: {string.Join(", ", TrainingRecipes.All.Keys)})");
        }
        return y.Settings(node, f, "training", TrainingSettings.All, o);
    }

    private static PrunableScope ReadScope(YamlFields y, YamlNode node) =>
        y.Settings(node, y.Mapping(node, "scope", _scope), "scope", ScopeSettings.All, PrunableScope.Default);

    private static MethodEntry ReadMethod(YamlFields y, YamlNode node, string path)
    {
        var f = y.Mapping(node, path, MethodKeys);
        string key = f.TryGetValue("method", out var m) ? y.String(m, path + ".method") : throw y.Error(node, path, "missing required field 'method'");
        if (PruningMethods.All.All(info => info.Key != key))
        {
            throw y.Error(m, path + ".method", $"unknown method '{key}' (known: {string.Join(", ", PruningMethods.All.Select(i => i.Key))})");
        }
        var own = MethodSettings.For(key).ToList();
        foreach (var setting in MethodSettings.All.Where(s => f.ContainsKey(s.Key) && !own.Contains(s)))
        {
            throw y.Error(f[setting.Key], $"{path}.{setting.Key}", $"applies to {string.Join(", ", MethodSettings.MethodsOf(setting))}, not to method {key}");
        }
        var options = y.Settings(node, f, path, own, new MethodOptions());
        return new MethodEntry(key, options, f.TryGetValue("selection", out var s) ? Request(y, s, path + ".selection", RequestSettings.Selection).Selection : SelectionKind.Global)
        {
            Epochs = f.TryGetValue("epochs", out var e) ? y.Setting(e, path + ".epochs", TrainingSettings.All.Single(t => t.Key == "epochs"), new TrainingOptions()).Epochs : null,
            FinetuneEpochs = f.TryGetValue("finetune-epochs", out var fe) ? Request(y, fe, path + ".finetune-epochs", RequestSettings.FinetuneEpochs).FinetuneEpochs : null,
            FinetuneLearningRate = f.TryGetValue("finetune-lr", out var lr) ? Request(y, lr, path + ".finetune-lr", RequestSettings.FinetuneLearningRate).FinetuneLearningRate : null,
            Sparsities = f.TryGetValue("sparsities", out var list) ? [.. y.Sequence(list, path + ".sparsities").Select((n, i) => Sparsity(y, n, $"{path}.sparsities[{i}]"))] : null,
            SparsityOf = f.TryGetValue("sparsity-of", out var of) ? y.String(of, path + ".sparsity-of") : null,
        };
    }

    // A request-level value parsed by its descriptor; its range is checked with each method's request.
    private static PruningRequest Request(YamlFields y, YamlNode node, string path, Shear.Settings.ISetting<PruningRequest> setting) =>
        y.Setting(node, path, setting, new PruningRequest());

    private static double Holdout(YamlFields y, YamlNode node)
    {
        double value = y.Double(node, "holdout");
        return value is 0 or (> 0 and <= 0.5) ? value : throw y.Error(node, "holdout", $"must be in (0, 0.5] (0: the test set), got {value}");
    }

    // One item of a sparsities list: a value of the sparsity setting, parsed and range-checked at its own position.
    private static double Sparsity(YamlFields y, YamlNode node, string path)
    {
        var request = Request(y, node, path, RequestSettings.Sparsity);
        return RequestSettings.Sparsity.Check(request) is string problem ? throw y.Error(node, path, problem) : request.Sparsity;
    }
}
