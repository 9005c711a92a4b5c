using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The TorchSharp side of `race` (NetGen.Benchmarks/FashionRace.cs): the sample's FashionNet setup in TorchSharp
/// eager mode (784-256-128-10 ReLU with dropout 0.2 and 0.1, Adam 0.001, CosineAnnealingLR to 1e-5 stepped per epoch,
/// batch 128 from a fresh permutation every epoch, pixels / 255), printing `fashion,epoch,training seconds,test accuracy`.
/// </summary>
internal static class FashionRace
{
    public static int Run(string folder, int epochs, int threads)
    {
        torch.set_num_threads(threads);
        torch.random.manual_seed(1);
        using var trainX = Images(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        using var trainY = Labels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
        using var testX = Images(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        using var testY = Labels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        var model = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.1),
            nn.Linear(128, 10));
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs, 1e-5);
        var loss = nn.CrossEntropyLoss();
        long count = trainX.shape[0];
        Console.WriteLine($"# TorchSharp {typeof(torch).Assembly.GetName().Version}, LibTorch {torch.__version__}, {threads} thread(s)");
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            using (var epochScope = NewDisposeScope())
            {
                var order = randperm(count);
                for (long start = 0; start < count; start += 128)
                {
                    using var scope = NewDisposeScope();
                    var batch = order.narrow(0, start, Math.Min(128, count - start));
                    optimizer.zero_grad();
                    loss.forward(model.forward(trainX.index_select(0, batch)), trainY.index_select(0, batch)).backward();
                    optimizer.step();
                }
            }

            schedule.step();
            double seconds = clock.Elapsed.TotalSeconds;
            model.eval();
            double accuracy;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                accuracy = model.forward(testX).argmax(1).eq(testY).to_type(ScalarType.Float32).mean().item<float>();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fashion,{epoch},{seconds:F3},{accuracy:F4}"));
        }

        return 0;
    }

    private static Tensor Images(string path)
    {
        using var reader = new BinaryReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        int magic = BigEndian(reader), count = BigEndian(reader), rows = BigEndian(reader), columns = BigEndian(reader);
        if (magic != 2051)
        {
            throw new InvalidDataException($"{path} is not an IDX image file (magic {magic}).");
        }

        byte[] pixels = reader.ReadBytes(count * rows * columns);
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i] / 255f;
        }

        return tensor(values, [count, rows * columns]);
    }

    private static Tensor Labels(string path)
    {
        using var reader = new BinaryReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        int magic = BigEndian(reader), count = BigEndian(reader);
        if (magic != 2049)
        {
            throw new InvalidDataException($"{path} is not an IDX label file (magic {magic}).");
        }

        return tensor(reader.ReadBytes(count).Select(b => (long)b).ToArray(), [count]);
    }

    private static int BigEndian(BinaryReader reader) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));
}
