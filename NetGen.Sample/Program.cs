using System.Diagnostics;
using System.Globalization;
using NetGen;
using NetGen.Sample;

// The default run: the lecture notes' XOR network, then a digits classifier on the embedded
// UCI data set. Both train in seconds on one core.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine("NetGen sample: networks compiled at build time, trained at run time.");
Console.WriteLine();
Examples.Xor();
Console.WriteLine();
Examples.Digits();
