namespace StoFunctions.Testing;

/// <summary>One rule of <see cref="RandomRpcFaults"/>: arm faults drawn from <paramref name="Faults"/> at the chaos rate of the calls of <paramref name="CountedMethod"/>.</summary>
/// <param name="Method">The method the faults hit (each fault's own <see cref="RpcFault.Method"/> should match it).</param>
/// <param name="CountedMethod">The method whose calls set the pace (a batched method is paced by a once-per-batch companion).</param>
/// <param name="Faults">The faults to draw from, uniformly.</param>
public sealed record RpcFaultRule(string Method, string CountedMethod, IReadOnlyList<RpcFault> Faults);
