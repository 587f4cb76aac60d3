namespace Ebpf.Vm.Helpers;

/// <summary>
/// A helper a program calls by id (<c>call 5</c>, or <c>callx</c> with the id in a register). It receives the
/// five argument registers r1-r5 and returns what the program finds in r0.
/// </summary>
/// <param name="context">The running program's view: translates program addresses to host spans, maps new regions.</param>
/// <param name="r1">First argument register.</param>
/// <param name="r2">Second argument register.</param>
/// <param name="r3">Third argument register.</param>
/// <param name="r4">Fourth argument register.</param>
/// <param name="r5">Fifth argument register.</param>
/// <returns>The value of r0 after the call.</returns>
public delegate ulong HelperFunction(HelperContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
