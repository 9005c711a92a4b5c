using System.Globalization;
using System.Numerics;
using System.Text;
using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// Several networks of one shape that predict together, as the notes suggest against local minima: "several trials
/// with different random initial weights with majority or voting". <see cref="Train"/> trains the members from
/// different seeds (in parallel where cores allow); <see cref="PredictVote"/> takes the majority class and
/// <see cref="PredictMean"/> averages the predicted probabilities.
/// </summary>
/// <example>
/// <code>
/// var ensemble = Ensemble&lt;float&gt;.Train(members: 5, seed =>
/// {
///     var net = new XorNet(seed);
///     new Trainer&lt;float&gt;(net, new Sgd&lt;float&gt;(0.5), batchSize: 1, seed: seed).Fit(data, epochs: 2000);
///     return net;
/// });
/// Console.WriteLine(ensemble.Evaluate(data));
/// </code>
/// </example>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Ensemble<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates an ensemble of trained networks.</summary>
    /// <param name="members">The networks; at least one, all with the same input and output sizes.</param>
    public Ensemble(IEnumerable<INetwork<T>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Member {i} is null.", nameof(members));
            }

            if (list[i].InputSize != list[0].InputSize || list[i].OutputSize != list[0].OutputSize)
            {
                throw new ArgumentException($"Member {i} takes {list[i].InputSize} inputs and gives {list[i].OutputSize} outputs, but member 0 takes {list[0].InputSize} and gives {list[0].OutputSize}; members must have the same shape.", nameof(members));
            }
        }

        Members = list;
    }

    /// <summary>The member networks.</summary>
    public IReadOnlyList<INetwork<T>> Members { get; }

    /// <summary>The members' input size.</summary>
    public int InputSize => Members[0].InputSize;

    /// <summary>The members' output size.</summary>
    public int OutputSize => Members[0].OutputSize;

    /// <summary>
    /// Trains <paramref name="members"/> networks, member i from seed <c>firstSeed + i</c>, with up to
    /// <paramref name="maxParallelism"/> members training at once, and returns them as an ensemble (in seed order,
    /// whatever order they finished in).
    /// </summary>
    /// <param name="members">The number of members; positive.</param>
    /// <param name="train">Creates and trains one member from a seed (called on several threads at once: it must not share a trainer or an optimizer).</param>
    /// <param name="maxParallelism">Members trained at once; positive, or -1 (the default) for <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="firstSeed">The seed of member 0.</param>
    public static Ensemble<T> Train(int members, Func<int, INetwork<T>> train, int maxParallelism = -1, int firstSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (members <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(members), members, "'members' must be positive.");
        }

        if (maxParallelism == 0 || maxParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxParallelism), maxParallelism, "'maxParallelism' must be positive, or -1 for all cores.");
        }

        var trained = new INetwork<T>[members];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism == -1 ? Environment.ProcessorCount : maxParallelism };
        Parallel.For(0, members, options, i =>
        {
            trained[i] = train(firstSeed + i) ?? throw new InvalidOperationException($"The training callback returned null for seed {firstSeed + i}.");
        });
        return new Ensemble<T>(trained);
    }

    /// <summary>
    /// The majority class: every member votes for its predicted class (see <see cref="Evaluation.Class{T}"/>); a tie
    /// between classes goes to the one with the highest mean probability, then to the lowest class.
    /// </summary>
    /// <param name="input">One sample's features.</param>
    public int PredictVote(ReadOnlySpan<T> input)
    {
        var mean = new T[OutputSize];
        var votes = new int[Math.Max(2, OutputSize)];
        Predict(input, mean, votes);
        int best = 0;
        for (int c = 1; c < votes.Length; c++)
        {
            if (votes[c] > votes[best] || (votes[c] == votes[best] && Probability(mean, c) > Probability(mean, best)))
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Writes the members' mean output (mean probabilities for the cross-entropy losses) and returns its class.</summary>
    /// <param name="input">One sample's features.</param>
    /// <param name="output">Receives the mean output; <see cref="OutputSize"/> values.</param>
    public int PredictMean(ReadOnlySpan<T> input, Span<T> output)
    {
        NetworkArguments.CheckSample(input.Length, output.Length, InputSize, OutputSize);
        var mean = new T[OutputSize];
        Predict(input, mean, new int[Math.Max(2, OutputSize)]);
        mean.CopyTo(output);
        return Evaluation.Class<T>(mean);
    }

    /// <summary>Each member's accuracy and the ensemble's, by vote and by mean probability, on labeled data.</summary>
    /// <param name="data">Samples whose targets are classes (one-hot, or 0/1 for a single output).</param>
    public EnsembleEvaluation Evaluate(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Evaluation.CheckShape(Members[0], data, nameof(data));
        var memberCorrect = new int[Members.Count];
        int voteCorrect = 0, meanCorrect = 0;
        var output = new T[OutputSize];
        var mean = new T[OutputSize];
        for (int i = 0; i < data.Count; i++)
        {
            int actual = Evaluation.Class<T>(data.Targets(i));
            for (int m = 0; m < Members.Count; m++)
            {
                Members[m].Predict(data.Features(i), output);
                memberCorrect[m] += Evaluation.Class<T>(output) == actual ? 1 : 0;
            }

            voteCorrect += PredictVote(data.Features(i)) == actual ? 1 : 0;
            meanCorrect += PredictMean(data.Features(i), mean) == actual ? 1 : 0;
        }

        return new EnsembleEvaluation([.. memberCorrect.Select(c => (double)c / data.Count)], (double)voteCorrect / data.Count, (double)meanCorrect / data.Count);
    }

    /// <summary>Sums the members' outputs into <paramref name="mean"/> (then divides) and counts their votes.</summary>
    private void Predict(ReadOnlySpan<T> input, T[] mean, int[] votes)
    {
        if (input.Length != InputSize)
        {
            throw new ArgumentException($"'input' has {input.Length} values; the ensemble's members take {InputSize}.", nameof(input));
        }

        var output = new T[OutputSize];
        foreach (var member in Members)
        {
            member.Predict(input, output);
            votes[Evaluation.Class<T>(output)]++;
            for (int c = 0; c < output.Length; c++)
            {
                mean[c] += output[c];
            }
        }

        T count = T.CreateTruncating(Members.Count);
        for (int c = 0; c < mean.Length; c++)
        {
            mean[c] /= count;
        }
    }

    /// <summary>The mean probability of class <paramref name="c"/>; a single output is the probability of class 1.</summary>
    private static T Probability(T[] mean, int c) => mean.Length == 1 ? (c == 1 ? mean[0] : T.One - mean[0]) : mean[c];
}

/// <summary>How an <see cref="Ensemble{T}"/> and each of its members did on a data set.</summary>
/// <param name="MemberAccuracies">Each member's accuracy, in member order.</param>
/// <param name="VoteAccuracy">The accuracy of <see cref="Ensemble{T}.PredictVote"/>.</param>
/// <param name="MeanProbabilityAccuracy">The accuracy of <see cref="Ensemble{T}.PredictMean"/>.</param>
public sealed record EnsembleEvaluation(IReadOnlyList<double> MemberAccuracies, double VoteAccuracy, double MeanProbabilityAccuracy)
{
    /// <summary>One line per member, then the two ensemble accuracies.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (int m = 0; m < MemberAccuracies.Count; m++)
        {
            text.Append(CultureInfo.InvariantCulture, $"member {m}: accuracy {MemberAccuracies[m]:F4}").AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture, $"majority vote: accuracy {VoteAccuracy:F4}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"mean probability: accuracy {MeanProbabilityAccuracy:F4}");
        return text.ToString();
    }
}
