namespace Ebpf.Btf;

internal sealed partial class BtfCDumper
{
    /// <summary>
    /// Depth-first topological sort of the definitions <paramref name="id"/> needs, appending named definitions
    /// to the emit queue after their dependencies. Returns whether the reference is strong (the definition must
    /// come first, because the type is embedded or defined inline) or weak (a forward declaration will do,
    /// because a pointer leads to a named type).
    /// </summary>
    /// <remarks>
    /// Only kinds that can be definitions of their own (struct, union, enum, fwd, typedef) and the leaves get an
    /// ordering state; pointers, arrays, qualifiers and prototypes are paths whose strength depends on how they
    /// were reached, so they are walked again each time. A pointer is marked ordered after its first walk, and
    /// from then on reports "strong", exactly as libbpf does (the output depends on it).
    /// </remarks>
    /// <exception cref="BtfFormatException">A cycle that no pointer breaks (not expressible in C).</exception>
    private bool OrderType(uint id, bool throughPointer)
    {
        ref TypeState state = ref _state[id];
        if (state.Order == OrderState.Ordered) return true;
        BtfType type = _types[id];

        if (state.Order == OrderState.Ordering)
        {
            // Back on a type we are still sorting: fine if we came through a pointer to a named struct/union,
            // which a forward declaration resolves.
            if (type is BtfComposite && throughPointer && !type.IsAnonymous) return false;
            throw new BtfFormatException($"type {id} ({type}): unsatisfiable type cycle, not expressible in C");
        }

        switch (type)
        {
            case BtfInt or BtfFloat:
                state.Order = OrderState.Ordered;
                return false;

            case BtfPointer p:
            {
                bool strong = OrderType(p.Type, throughPointer: true);
                _state[id].Order = OrderState.Ordered;
                return strong;
            }

            case BtfArray a:
                return OrderType(a.ElementType, throughPointer: false);

            case BtfComposite c:
            {
                // Embedded, or anonymous (defined inline even behind a pointer): part of a strong link.
                if (throughPointer && !c.IsAnonymous) return false;
                state.Order = OrderState.Ordering;
                IReadOnlyList<BtfMember> members = c.Members;
                for (int i = 0; i < members.Count; i++) OrderType(members[i].Type, throughPointer: false);
                if (!c.IsAnonymous) _emitQueue.Add(id);
                _state[id].Order = OrderState.Ordered;
                return true;
            }

            case BtfEnum or BtfForward:
                // Named ones are top-level declarations; so is an anonymous enum nothing refers to (constants).
                if (!type.IsAnonymous || !state.Referenced) _emitQueue.Add(id);
                state.Order = OrderState.Ordered;
                return true;

            case BtfTypedef t:
            {
                bool strong = OrderType(t.Type, throughPointer);
                // Like a struct, a typedef reached through a pointer can wait if what it names can.
                if (throughPointer && !strong) return false;
                _emitQueue.Add(id);
                _state[id].Order = OrderState.Ordered;
                return true;
            }

            case BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag:
                return OrderType(((BtfReferenceType)type).Type, throughPointer);

            case BtfFuncProto p:
            {
                bool strong = OrderType(p.ReturnType, throughPointer);
                IReadOnlyList<BtfParameter> parameters = p.Parameters;
                for (int i = 0; i < parameters.Count; i++)
                {
                    if (OrderType(parameters[i].Type, throughPointer)) strong = true;
                }
                return strong;
            }

            default:
                // FUNC, VAR, DATASEC, DECL_TAG: not written as C.
                state.Order = OrderState.Ordered;
                return false;
        }
    }
}
