namespace Ebpf.Vm.Helpers;

/// <summary>
/// <see cref="HelperContext"/>'s <c>Program</c> property. It lives here, beside <see cref="VmProgram"/>, because
/// <see cref="HelperContext"/> belongs to the VM's core, which every engine shares and which must not depend on
/// the type that chooses the engine.
/// </summary>
public static class HelperContextProgram
{
    extension(HelperContext context)
    {
        /// <summary>The program that called the helper.</summary>
        public VmProgram Program => (VmProgram)context.Owner;
    }
}
