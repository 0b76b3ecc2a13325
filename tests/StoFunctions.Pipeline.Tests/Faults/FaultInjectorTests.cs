using StoFunctions.Pipeline.Faults;

namespace StoFunctions.Pipeline.Tests.Faults;

public sealed class FaultInjectorTests
{
    [Fact]
    public void Reached_ArmedForSecondHit_ThrowsOnlyOnTheSecondVisitAndThenDisarms()
    {
        FaultInjector injector = FaultInjector.Throwing();
        injector.Arm(CrashPoint.DuringConfirm, hit: 2);
        injector.Reached(CrashPoint.AfterSignBeforePersist);
        injector.Reached(CrashPoint.DuringConfirm);
        SimulatedCrashException crash = Assert.Throws<SimulatedCrashException>(() => injector.Reached(CrashPoint.DuringConfirm));
        Assert.Equal(CrashPoint.DuringConfirm, crash.Point);
        injector.Reached(CrashPoint.DuringConfirm);
        Assert.Null(injector.ArmedPoint);
    }

    [Fact]
    public void Arm_UnknownPoint_ThrowsNamingTheKnownPoints()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => FaultInjector.Throwing().Arm("after_lunch"));
        Assert.Contains("after_nonce_alloc", error.Message, StringComparison.Ordinal);
    }
}
