// Simulating an action "as if the approval before it were mined": one eth_call with a state
// override that writes the allowance into the token's storage. Without it an approval would be
// signed (and paid for) before the action after it is found to revert. Mirrors the CLI's
// `fomo.cli.chainkit.find_allowance_slot` / `simulate_with_allowance`.
import { concat, keccak256, pad, toHex, type Address, type Hex, type PublicClient, type StateOverride } from "viem";
import { erc20Abi } from "./abi";

/** How many storage slots the allowance mapping may sit at (the CLI's `_SLOT_CANDIDATES`). */
export const SLOT_CANDIDATES = 64;

export type Layout = "vyper" | "solidity";

/** The slot of `mapping[key]` for a mapping at `base`: Vyper hashes (slot, key), Solidity (key, slot). */
export function mappingSlot(base: bigint, key: Address, layout: Layout): bigint {
  const slot = pad(toHex(base), { size: 32 });
  const k = pad(key.toLowerCase() as Hex, { size: 32 });
  return BigInt(keccak256(layout === "vyper" ? concat([slot, k]) : concat([k, slot])));
}

/** The slot of `allowance[owner][spender]` for the nested mapping at `base`. */
export function allowanceSlot(base: bigint, owner: Address, spender: Address, layout: Layout): bigint {
  return mappingSlot(mappingSlot(base, owner, layout), spender, layout);
}

export const slotHex = (n: bigint): Hex => pad(toHex(n), { size: 32 });

// Found once per token (the layout does not change); null = this token/node cannot be overridden.
const layouts = new Map<string, { base: bigint; layout: Layout } | null>();

/**
 * The slot holding `allowance(owner, spender)` of `token`, or null. One eth_call of `allowance`
 * with a distinct marker written into every candidate slot: the marker it returns names the slot.
 */
export async function findAllowanceSlot(client: PublicClient, token: Address, owner: Address, spender: Address): Promise<bigint | null> {
  const key = `${client.chain?.id ?? "?"}:${token.toLowerCase()}`;
  const known = layouts.get(key);
  if (known !== undefined) return known && allowanceSlot(known.base, owner, spender, known.layout);
  const markerBase = 0xf0f0n << 200n;
  const candidates = new Map<bigint, { base: bigint; layout: Layout }>();
  const stateDiff: { slot: Hex; value: Hex }[] = [];
  for (let base = 0n; base < BigInt(SLOT_CANDIDATES); base++) {
    for (const layout of ["vyper", "solidity"] as const) {
      const marker = markerBase + BigInt(candidates.size + 1);
      candidates.set(marker, { base, layout });
      stateDiff.push({ slot: slotHex(allowanceSlot(base, owner, spender, layout)), value: slotHex(marker) });
    }
  }
  let value = 0n;
  try {
    value = (await client.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "allowance",
      args: [owner, spender],
      stateOverride: [{ address: token, stateDiff }],
    } as never)) as bigint;
  } catch {
    value = 0n;
  }
  const found = candidates.get(value) ?? null;
  layouts.set(key, found);
  return found && allowanceSlot(found.base, owner, spender, found.layout);
}

export interface Approval {
  token: Address;
  spender: Address;
  amount: bigint;
}

/**
 * A state override giving each approval its allowance, or null when one of the slots cannot be
 * found (the caller then checks the action only after the approval, as before).
 */
export async function approvalsOverride(client: PublicClient, owner: Address, approvals: Approval[]): Promise<StateOverride | null> {
  const byToken = new Map<string, { address: Address; stateDiff: { slot: Hex; value: Hex }[] }>();
  for (const a of approvals) {
    const slot = await findAllowanceSlot(client, a.token, owner, a.spender);
    if (slot === null) return null;
    const entry = byToken.get(a.token.toLowerCase()) ?? { address: a.token, stateDiff: [] };
    entry.stateDiff.push({ slot: slotHex(slot), value: slotHex(a.amount) });
    byToken.set(a.token.toLowerCase(), entry);
  }
  return [...byToken.values()];
}
