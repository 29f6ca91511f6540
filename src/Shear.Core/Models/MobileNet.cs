using Shear.Graphs;

namespace Shear.Models;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018), MobileNetV3-Small (Howard et al. 2019) and EfficientNet-B0 (Tan &amp; Le 2019) in
/// torchvision 0.14's layout and parameter names (<c>features.3.conv.1.0.weight</c>, <c>features.4.block.2.fc1.weight</c>), so a state dict moves
/// between the two unchanged. <see cref="ModelOptions.Width"/> is torchvision's width multiplier (channels rounded to
/// multiples of 8 as torchvision rounds them). The CIFAR stem (default below 64 px) runs the first two stride-2
/// layers at stride 1, so 28 and 32 px images keep a 4x4 map at the end instead of 1x1.
/// </summary>
internal static class MobileNet
{
    // MobileNetV2's inverted residual stages: expansion t, output channels c, blocks n, first stride s.
    private static readonly (int T, int C, int N, int S)[] _v2Stages =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    // MobileNetV3-Small's blocks: input, kernel, expanded and output channels, squeeze-excitation, hard swish, stride.
    private static readonly (int In, int K, int Exp, int Out, bool Se, bool Hs, int S)[] _v3SmallBlocks =
    [
        (16, 3, 16, 16, true, false, 2), (16, 3, 72, 24, false, false, 2), (24, 3, 88, 24, false, false, 1),
        (24, 5, 96, 40, true, true, 2), (40, 5, 240, 40, true, true, 1), (40, 5, 240, 40, true, true, 1),
        (40, 5, 120, 48, true, true, 1), (48, 5, 144, 48, true, true, 1), (48, 5, 288, 96, true, true, 2),
        (96, 5, 576, 96, true, true, 1), (96, 5, 576, 96, true, true, 1),
    ];

    // EfficientNet-B0's stages: expansion, kernel, stride, input and output channels, blocks.
    private static readonly (int T, int K, int S, int In, int Out, int N)[] _b0Stages =
        [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3), (6, 5, 1, 80, 112, 3),
         (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)];

    /// <summary>Images at least this wide get torchvision's strides under <see cref="ResNetStem.Auto"/>.</summary>
    private const int ImageNetMinimumSide = 64;

    public static ModelGraph BuildV2(ModelRequest request)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        double width = request.Options.Width;
        var strides = new Strides(request);
        int input = Divisible(32 * width);
        var x = ConvNormActivation(g, g.Input, "features.0", input, 3, strides.Next(2), groups: 1, Activation.Relu6);
        int index = 1;
        foreach (var (t, c, n, s) in _v2Stages)
        {
            int output = Divisible(c * width);
            for (int i = 0; i < n; i++, index++)
            {
                x = InvertedResidualV2(g, x, $"features.{index}", output, i == 0 ? strides.Next(s) : 1, t);
            }
        }
        int last = Divisible(1280 * Math.Max(1.0, width));
        x = ConvNormActivation(g, x, $"features.{index}", last, 1, 1, groups: 1, Activation.Relu6);
        x = g.Flatten(g.GlobalAvgPool(x));
        return g.Build(g.Linear(x, "classifier.1", request.Classes));
    }

    public static ModelGraph BuildV3Small(ModelRequest request)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        double width = request.Options.Width;
        var strides = new Strides(request);
        var blocks = _v3SmallBlocks.Select(b => b with { In = Divisible(b.In * width), Exp = Divisible(b.Exp * width), Out = Divisible(b.Out * width) }).ToArray();
        var x = ConvNormActivation(g, g.Input, "features.0", blocks[0].In, 3, strides.Next(2), groups: 1, Activation.HardSwish);
        for (int i = 0; i < blocks.Length; i++)
        {
            var b = blocks[i];
            x = InvertedResidualV3(g, x, $"features.{i + 1}", b.K, b.Exp, b.Out, b.Se, b.Hs ? Activation.HardSwish : Activation.Relu, b.S == 2 ? strides.Next(2) : 1);
        }
        int lastConv = 6 * blocks[^1].Out;
        x = ConvNormActivation(g, x, $"features.{blocks.Length + 1}", lastConv, 1, 1, groups: 1, Activation.HardSwish);
        x = g.Flatten(g.GlobalAvgPool(x));
        x = g.HardSwish(g.Linear(x, "classifier.0", Divisible(1024 * width)));
        return g.Build(g.Linear(x, "classifier.3", request.Classes));
    }

    public static ModelGraph BuildEfficientNetB0(ModelRequest request)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        double width = request.Options.Width;
        var strides = new Strides(request);
        var x = ConvNormActivation(g, g.Input, "features.0", Divisible(32 * width), 3, strides.Next(2), groups: 1, Activation.Silu);
        for (int stage = 0; stage < _b0Stages.Length; stage++)
        {
            var (t, k, s, input, output, n) = _b0Stages[stage];
            for (int i = 0; i < n; i++)
            {
                int inChannels = Divisible((i == 0 ? input : output) * width);
                x = MbConv(g, x, $"features.{stage + 1}.{i}", t, k, i == 0 ? strides.Next(s) : 1, inChannels, Divisible(output * width));
            }
        }
        x = ConvNormActivation(g, x, "features.8", 4 * x.Channels, 1, 1, groups: 1, Activation.Silu);
        x = g.Flatten(g.GlobalAvgPool(x));
        return g.Build(g.Linear(x, "classifier.1", request.Classes));
    }

    // torchvision's MBConv: optional 1x1 expansion, depthwise k x k, squeeze-and-excitation (squeezing to a quarter
    // of the block's input width, SiLU, sigmoid gate), linear 1x1 projection, identity shortcut when the shape is
    // kept. Stochastic depth (training only, torchvision drops whole residual branches) is left out.
    private static GraphValue MbConv(GraphBuilder g, GraphValue x, string name, int expansion, int kernel, int stride, int input, int output)
    {
        int expanded = Divisible(input * (double)expansion);
        var y = x;
        int layer = 0;
        if (expanded != input)
        {
            y = ConvNormActivation(g, y, $"{name}.block.{layer++}", expanded, 1, 1, groups: 1, Activation.Silu);
        }
        y = ConvNormActivation(g, y, $"{name}.block.{layer++}", expanded, kernel, stride, groups: expanded, Activation.Silu);
        string se = $"{name}.block.{layer++}";
        var gate = g.Silu(g.Conv(g.GlobalAvgPool(y), $"{se}.fc1", Math.Max(1, input / 4), kernel: 1));
        y = g.Mul(y, g.Sigmoid(g.Conv(gate, $"{se}.fc2", expanded, kernel: 1)));
        y = ConvNormActivation(g, y, $"{name}.block.{layer}", output, 1, 1, groups: 1, Activation.None);
        return stride == 1 && input == output ? g.Add(x, y) : y;
    }

    // torchvision's InvertedResidual (V2): optional 1x1 expansion, depthwise 3x3, linear 1x1 projection, identity
    // shortcut when the shape is kept.
    private static GraphValue InvertedResidualV2(GraphBuilder g, GraphValue x, string name, int output, int stride, int expansion)
    {
        int hidden = (int)Math.Round(x.Channels * (double)expansion);
        var y = x;
        int layer = 0;
        if (expansion != 1)
        {
            y = ConvNormActivation(g, y, $"{name}.conv.{layer++}", hidden, 1, 1, groups: 1, Activation.Relu6);
        }
        y = ConvNormActivation(g, y, $"{name}.conv.{layer++}", hidden, 3, stride, groups: hidden, Activation.Relu6);
        y = g.BatchNorm(g.Conv(y, $"{name}.conv.{layer}", output, kernel: 1, bias: false), $"{name}.conv.{layer + 1}");
        return stride == 1 && x.Channels == output ? g.Add(x, y) : y;
    }

    // torchvision's InvertedResidual (V3): optional 1x1 expansion, depthwise k x k, optional squeeze-and-excitation,
    // linear 1x1 projection, identity shortcut when the shape is kept.
    private static GraphValue InvertedResidualV3(GraphBuilder g, GraphValue x, string name, int kernel, int expanded, int output, bool se, Activation activation, int stride)
    {
        var y = x;
        int layer = 0;
        if (expanded != x.Channels)
        {
            y = ConvNormActivation(g, y, $"{name}.block.{layer++}", expanded, 1, 1, groups: 1, activation);
        }
        y = ConvNormActivation(g, y, $"{name}.block.{layer++}", expanded, kernel, stride, groups: expanded, activation);
        if (se)
        {
            // torchvision's SqueezeExcitation: average, 1x1 squeeze (+bias) and ReLU, 1x1 excite (+bias), hard sigmoid, scale.
            string block = $"{name}.block.{layer++}";
            var gate = g.Relu(g.Conv(g.GlobalAvgPool(y), $"{block}.fc1", Divisible(expanded / 4), kernel: 1));
            gate = g.HardSigmoid(g.Conv(gate, $"{block}.fc2", expanded, kernel: 1));
            y = g.Mul(y, gate);
        }
        y = ConvNormActivation(g, y, $"{name}.block.{layer}", output, 1, 1, groups: 1, Activation.None);
        return stride == 1 && x.Channels == output ? g.Add(x, y) : y;
    }

    // torchvision's Conv2dNormActivation: convolution (no bias, "same" padding) as {name}.0, BN as {name}.1, then the
    // activation.
    private static GraphValue ConvNormActivation(GraphBuilder g, GraphValue x, string name, int output, int kernel, int stride, int groups, Activation activation)
    {
        var y = g.BatchNorm(g.Conv(x, $"{name}.0", output, kernel, stride, padding: (kernel - 1) / 2, bias: false, groups), $"{name}.1");
        return activation switch
        {
            Activation.Relu => g.Relu(y),
            Activation.Relu6 => g.Clip(y, 0, 6),
            Activation.HardSwish => g.HardSwish(y),
            Activation.Silu => g.Silu(y),
            _ => y,
        };
    }

    // torchvision's _make_divisible: the nearest multiple of 8, at least 8, and never 10 % below the value.
    private static int Divisible(double value)
    {
        int rounded = Math.Max(8, (int)(value + 4) / 8 * 8);
        return rounded < 0.9 * value ? rounded + 8 : rounded;
    }

    private enum Activation
    {
        None,
        Relu,
        Relu6,
        HardSwish,
        Silu,
    }

    // The CIFAR stem turns the first two stride-2 layers into stride 1; the ImageNet stem keeps torchvision's.
    private sealed class Strides(ModelRequest request)
    {
        private int _softened = request.Options.Stem == ResNetStem.ImageNet
            || (request.Options.Stem == ResNetStem.Auto && request.Input.Height >= ImageNetMinimumSide) ? 2 : 0;

        public int Next(int stride)
        {
            if (stride == 2 && _softened < 2)
            {
                _softened++;
                return 1;
            }
            return stride;
        }
    }
}
