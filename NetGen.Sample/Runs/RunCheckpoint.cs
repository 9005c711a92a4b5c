using System.Globalization;
using System.Text;
using NetGen.Sample.Reporting;

namespace NetGen.Sample.Runs;

/// <summary>
/// What Ctrl+C leaves behind so <c>--resume</c> can continue a digits or fashion run: the model file with the
/// trainer's checkpoint (<c>&lt;name&gt;-checkpoint.ngm</c>: parameters, optimizer state, schedule position, epoch,
/// batch, random state) and beside it <c>&lt;name&gt;-checkpoint.txt</c> with the run's settings and the epochs it
/// finished, so the resumed run trains with the same settings and reports every epoch.
/// </summary>
/// <param name="Command">The command that saved it: <c>digits</c> or <c>fashion</c>.</param>
/// <param name="Settings">The run's settings (threads and output folder may differ when resuming).</param>
/// <param name="Epochs">The epochs finished before the interruption.</param>
internal sealed record RunCheckpoint(string Command, TrainSettings Settings, IReadOnlyList<EpochRow> Epochs)
{
    /// <summary>Where a run named <paramref name="name"/> saves its checkpoint in <paramref name="folder"/>.</summary>
    public static string ModelPath(string folder, string name) => Path.Combine(folder, $"{name}-checkpoint.ngm");

    /// <summary>The settings file beside the checkpoint <paramref name="modelPath"/>.</summary>
    public static string SettingsPath(string modelPath) => Path.ChangeExtension(modelPath, ".txt");

    /// <summary>Saves the network with the trainer's checkpoint, and the settings and rows beside it; returns the model file's path.</summary>
    public static string Save(string command, TrainSettings settings, INetwork<float> network, TrainingCheckpoint<float> checkpoint, IReadOnlyList<EpochRow> epochs)
    {
        Directory.CreateDirectory(settings.OutputFolder);
        string path = ModelPath(settings.OutputFolder, command);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# NetGen sample: the settings and finished epochs of the run that saved {Path.GetFileName(path)}; read by --resume\n");
        text.Append(CultureInfo.InvariantCulture, $"command={command}\nepochs={settings.Epochs}\nbatch-size={settings.BatchSize}\noptimizer={settings.Optimizer}\nlearning-rate={settings.LearningRate:R}\nseed={settings.Seed}\n\n");
        text.Append(HistoryCsv.Write(epochs));
        File.WriteAllText(SettingsPath(path), text.ToString());
        ModelFile.Save(network, path, checkpoint);
        return path;
    }

    /// <summary>Reads the settings file beside <paramref name="modelPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not what <see cref="Save"/> writes; the message names the file and line.</exception>
    public static RunCheckpoint Read(string modelPath)
    {
        string path = SettingsPath(modelPath);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing: --resume needs the settings file the sample writes beside {Path.GetFileName(modelPath)} when Ctrl+C stops a run.");
        }

        var lines = File.ReadAllLines(path);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        int line = 0;
        for (; line < lines.Length && lines[line].Length > 0; line++)
        {
            if (lines[line].StartsWith('#'))
            {
                continue;
            }

            int equals = lines[line].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidDataException($"{path}, line {line + 1}: expected 'name=value', found '{lines[line]}'.");
            }

            values[lines[line][..equals]] = lines[line][(equals + 1)..];
        }

        string Value(string name) => values.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"{path}: the setting '{name}' is missing.");
        int Whole(string name, int minimum) =>
            int.TryParse(Value(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
                ? value
                : throw new InvalidDataException($"{path}: '{name}={Value(name)}' is not a whole number{(minimum > 0 ? " above 0" : "")}.");

        string optimizer = Value("optimizer");
        if (!TrainSettings.Optimizers.Contains(optimizer))
        {
            throw new InvalidDataException($"{path}: 'optimizer={optimizer}' is not one of {string.Join(", ", TrainSettings.Optimizers)}.");
        }

        if (!double.TryParse(Value("learning-rate"), NumberStyles.Float, CultureInfo.InvariantCulture, out double learningRate) || !(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new InvalidDataException($"{path}: 'learning-rate={Value("learning-rate")}' is not a positive number.");
        }

        var settings = new TrainSettings(Whole("epochs", 1), Whole("batch-size", 1), 1, optimizer, learningRate, Whole("seed", int.MinValue), "");
        var rows = line + 1 < lines.Length ? HistoryCsv.Read(lines[(line + 1)..], path, line + 2) : [];
        return new RunCheckpoint(Value("command"), settings, rows);
    }
}
