using System.Globalization;
using NetGen.Sample.Cli;

// Without arguments: the lecture notes' XOR network, then a digits classifier on the embedded UCI data set, in
// seconds. With a command (xor, digits, fashion, predict; see --help): one run with options, live progress,
// a report and a saved model.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return new SampleCommandLine().Invoke(args);
