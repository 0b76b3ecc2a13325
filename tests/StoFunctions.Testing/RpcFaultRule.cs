namespace StoFunctions.Testing;

/// <summary>One rule of <see cref="RandomRpcFaults"/>: arm faults drawn from <paramref name="Faults"/> at the chaos rate of the calls of <paramref name="CountedMethod"/>.</summary>
/// <param name="Method">The method the faults hit (each fault's own <see cref="RpcFault.Method"/> should match it).</param>
/// <param name="CountedMethod">The method whose calls set the pace (a batched method is paced by a once-per-batch companion).</param>
/// <param name="Faults">The faults to draw from, uniformly.</param>
/// <param name="PacedByRequests">
/// Count HTTP requests carrying <paramref name="CountedMethod"/> instead of its calls. A fault fails the whole batch
/// it lands in, so pacing a batched read by its calls arms about rate × batch size faults per batch and fails every
/// batch larger than 1 / rate: a livelock, not a 10 % fault rate.
/// </param>
public sealed record RpcFaultRule(string Method, string CountedMethod, IReadOnlyList<RpcFault> Faults, bool PacedByRequests = false);
