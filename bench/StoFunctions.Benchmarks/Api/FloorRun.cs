namespace StoFunctions.Benchmarks.Api;

/// <summary>One floor run: seconds until the last transaction was mined (stalls left out) and how many times automine was kicked.</summary>
/// <param name="Seconds">Wall time with the stalled waits subtracted.</param>
/// <param name="Stalls">How many <c>evm_mine</c> kicks were needed.</param>
/// <param name="Cpu">What the node and this client used while sending and mining (no host, no Azurite); null off Linux.</param>
public sealed record FloorRun(double Seconds, int Stalls, CpuSample? Cpu = null);
