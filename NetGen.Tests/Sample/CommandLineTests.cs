using NetGen.Sample.Cli;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

public class CommandLineTests
{
    private sealed class Recorder
    {
        public string? Command { get; private set; }

        public TrainSettings? Settings { get; private set; }

        public string? Data { get; private set; }

        public PredictRequest? Predict { get; private set; }

        public bool RanDefault { get; private set; }

        public SampleCommandLine Build() => new(
            runDefault: () => { RanDefault = true; return 0; },
            train: (command, settings, data) => { (Command, Settings, Data) = (command, settings, data); return 0; },
            predict: request => { Predict = request; return 0; });
    }

    [Fact]
    public void No_arguments_runs_the_tour()
    {
        var recorder = new Recorder();
        Assert.Equal(0, recorder.Build().Invoke([]));
        Assert.True(recorder.RanDefault);
        Assert.Null(recorder.Command);
    }

    [Fact]
    public void Training_options_bind_to_the_settings()
    {
        var recorder = new Recorder();
        int exit = recorder.Build().Invoke(["fashion", "--epochs", "3", "--batch-size", "64", "--threads", "1", "--optimizer", "AdamW", "--learning-rate", "0.002", "--seed", "9", "--output", "out", "--data", "/data/fm"]);

        Assert.Equal(0, exit);
        Assert.Equal("fashion", recorder.Command);
        Assert.Equal(new TrainSettings(3, 64, 1, "adamw", 0.002, 9, "out"), recorder.Settings);
        Assert.Equal("/data/fm", recorder.Data);
    }

    [Fact]
    public void Residual_trains_the_residual_network_and_graph_draws_it()
    {
        var recorder = new Recorder();
        Assert.Equal(0, recorder.Build().Invoke(["residual", "--epochs", "2"]));
        Assert.Equal("residual", recorder.Command);
        Assert.Equal(2, recorder.Settings!.Epochs);

        string? asked = null;
        var cli = new SampleCommandLine(graph: name => { asked = name; return 0; });
        Assert.Equal(0, cli.Root.Parse("graph residual").Invoke());
        Assert.Equal("residual", asked);
    }

    [Fact]
    public void Graph_prints_the_networks_description_and_its_dot_graph()
    {
        string? asked = null;
        var cli = new SampleCommandLine(graph: name => { asked = name; return 0; });
        Assert.Equal(0, cli.Root.Parse("graph digits").Invoke());
        Assert.Equal("digits", asked);
        Assert.NotEmpty(cli.Root.Parse("graph lenet").Errors);

        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, SampleActions.Graph("xor"));
        }
        finally
        {
            Console.SetOut(original);
        }

        string text = output.ToString();
        Assert.StartsWith("// XorNet: 2 inputs, loss SquaredError", text, StringComparison.Ordinal);
        Assert.Contains("digraph XorNet {", text, StringComparison.Ordinal);
        Assert.EndsWith(NetGen.Sample.XorNet.ComputationGraphDot, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_command_has_its_own_defaults()
    {
        var cli = new SampleCommandLine();
        Assert.Equal(new TrainSettings(30, 32, 1, "adam", 0.003, 42, "netgen-output"), cli.Digits.Bind(cli.Root.Parse("digits")));
        Assert.Equal(new TrainSettings(5000, 1, 1, "sgd", 0.5, 2, "netgen-output"), cli.Xor.Bind(cli.Root.Parse("xor")));
        Assert.Equal(new TrainSettings(20, 128, Environment.ProcessorCount, "adam", 0.001, 42, "netgen-output"), cli.Fashion.Bind(cli.Root.Parse("fashion")));
        Assert.Equal(new TrainSettings(10, 32, 1, "adam", 0.001, 42, "netgen-output"), cli.Residual.Bind(cli.Root.Parse("residual")));
        Assert.Equal(new TrainSettings(20, 32, 1, "adam", 0.003, 42, "netgen-output"), cli.TwoInputs.Bind(cli.Root.Parse("two-inputs")));
        Assert.Equal(SampleData.FashionFolder, cli.Root.Parse("fashion").GetValue(cli.FashionData));
    }

    [Theory]
    [InlineData("sgd", 0.1)]
    [InlineData("momentum", 0.05)]
    [InlineData("adagrad", 0.01)]
    [InlineData("rmsprop", 0.001)]
    public void Another_optimizer_gets_its_own_default_learning_rate(string optimizer, double rate)
    {
        var cli = new SampleCommandLine();
        var settings = cli.Digits.Bind(cli.Root.Parse($"digits --optimizer {optimizer}"));
        Assert.Equal(rate, settings.LearningRate);
        Assert.NotNull(settings.CreateOptimizer());
    }

    [Fact]
    public void An_unknown_optimizer_is_a_clear_error()
    {
        var cli = new SampleCommandLine();
        var result = cli.Root.Parse("digits --optimizer lion");
        var error = Assert.Single(result.Errors);
        Assert.Equal("Unknown optimizer 'lion' for --optimizer: use one of sgd, momentum, adam, adamw, rmsprop, adagrad.", error.Message);

        var recorder = new Recorder();
        var output = new StringWriter();
        int exit = recorder.Build().Root.Parse("digits --optimizer lion").Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        Assert.NotEqual(0, exit);
        Assert.Null(recorder.Command);
        Assert.Contains("Unknown optimizer 'lion'", output.ToString());
    }

    [Theory]
    [InlineData("digits --epochs 0", "--epochs must be positive")]
    [InlineData("fashion --batch-size -5", "--batch-size must be positive")]
    [InlineData("xor --threads 0", "--threads must be positive")]
    [InlineData("digits --learning-rate -1", "--learning-rate must be a positive number")]
    [InlineData("digits --epochs many", "many")]
    public void Invalid_numbers_are_errors(string arguments, string message)
    {
        var result = new SampleCommandLine().Root.Parse(arguments);
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Predict_binds_file_model_and_input()
    {
        var recorder = new Recorder();
        Assert.Equal(0, recorder.Build().Invoke(["predict", "--file", "m.ngm", "--model", "fashion", "--input", "17"]));
        Assert.Equal(new PredictRequest("m.ngm", "fashion", "17", "netgen-output", SampleData.FashionFolder), recorder.Predict);

        Assert.Equal(0, recorder.Build().Invoke(["predict"]));
        Assert.Equal(new PredictRequest(null, null, "0", "netgen-output", SampleData.FashionFolder), recorder.Predict);
    }

    [Fact]
    public void Predict_rejects_an_unknown_model()
    {
        var result = new SampleCommandLine().Root.Parse("predict --model resnet");
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (string command in new[] { "xor", "digits", "fashion", "residual", "two-inputs", "predict" })
        {
            var output = new StringWriter();
            int exit = new Recorder().Build().Root.Parse([command, "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });
            Assert.Equal(0, exit);
            Assert.Contains("Usage:", output.ToString());
            Assert.Contains(command == "predict" ? "--input" : "--epochs", output.ToString());
        }
    }
}
