using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>`shear run`: a config's problems are reported at their key before any run of the sweep starts.</summary>
public class RunCommandTests
{
    [Fact]
    public void Run_LthRewindStepBeyondARound_IsAnErrorAtTheKeyBeforeAnyRun()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("c.yaml"), """
            name: rewind
            data: fashion-mnist-subset
            model:
              key: mlp
              widths: [16]
            training:
              epochs: 1
            methods:
              - method: lth
                lth-rounds: 1
                rewind-step: 100000
            sparsities: [0.5]
            """);

        var outcome = ShearProcess.Run(folder.Path, "run", "c.yaml", "--out", "results", "--threads", "1");

        // The dense run of the sweep comes first in the plan; it must not have started either.
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Matches(@"c\.yaml:11:18: methods\[0\]\.rewind-step: must be at most the \d+ optimizer steps of a round", outcome.Errors);
        Assert.False(Directory.Exists(folder.File("results")));
    }
}
