using Shear.Data; using Shear.Experiments.Runs; using Shear.Export.Onnx; using Shear.Models; using Shear.Pruning.Methods; using Shear.Training;

Shear.Runtime.TorchRuntime.Initialize();                                   // finds libtorch before any TorchSharp call
using var data = DatasetCatalog.Load(args.Length > 0 ? args[0] : "fashion-mnist");   // an IDX, CIFAR or image folder
var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions());
var request = new PruningRequest                                           // pmp: sparsity ramps to 90 % over epoch 1 of 2
{
    Sparsity = 0.9, Training = TrainingRecipes.Get("pmp") with { Epochs = 2 }, Method = new MethodOptions { PmpHorizon = 1 },
};
var result = new PruningRun("runs/mlp-pmp90", card, data, request, PruningMethods.Get("pmp")).Execute(resume: false);
Console.WriteLine($"{"layer",-8} {"weights",9} {"kept",8} {"sparsity",9}");
foreach (var layer in result.Sparsity.Layers)
{
    Console.WriteLine($"{layer.Name,-8} {layer.Weights,9} {layer.NonZeros,8} {layer.Sparsity,9:P1}");
}
Console.WriteLine($"top-1 {result.Test.Top1:P2} at {result.Sparsity.Sparsity:P1} sparsity ({data.Name})");
OnnxExporter.Export(ModelCard.Load("runs/mlp-pmp90", TorchSharp.torch.CPU).Module, "runs/mlp-pmp90/model.onnx");
Console.WriteLine("wrote runs/mlp-pmp90/model.onnx");
