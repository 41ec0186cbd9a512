// Every write goes through here: a review dialog shows what will be signed and what it costs,
// then each step is simulated (a revert is caught with its sentence before any wallet prompt),
// signed, and followed pending → confirmed / failed. Approvals that are already enough are skipped.
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { encodeFunctionData, type Abi, type Address, type Hash, type PublicClient, type TransactionReceipt } from "viem";
import { explainError, explainRevert } from "../lib/errors";
import { useWallet } from "../wallet/WalletProvider";
import { TxDialog } from "./TxDialog";

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export interface TxStep {
  /** What this signature does, in words: "Approve 1,000 FLOCK for the Launchpad". */
  label: string;
  /** Manifest name of the contract called (selects contract-specific revert sentences). */
  contract: string;
  /** The call; `deadline` is the latest block time plus 20 minutes, read just before sending;
   *  `receipts` are those of the steps sent before it (a later step may need an earlier result). */
  call: (deadline: bigint, receipts: TransactionReceipt[]) => ContractCall;
  /** Skip the step when it is not needed (an allowance that is already enough). */
  skip?: (publicClient: PublicClient, account: Address) => Promise<boolean>;
}

export interface TxPlan {
  title: string;
  /** The cost and effect, line by line, shown before anything is signed. */
  summary: { label: string; value: string }[];
  steps: TxStep[];
  /** Called with the receipts of the steps that were sent, in order. */
  onConfirmed?: (receipts: TransactionReceipt[]) => void;
}

export type StepState =
  | { kind: "waiting" }
  | { kind: "skipped" }
  | { kind: "checking" }
  | { kind: "signing" }
  | { kind: "pending"; hash: Hash }
  | { kind: "confirmed"; hash: Hash }
  | { kind: "failed"; error: string; hash?: Hash };

/** The network fee of one step as estimated at review time. */
export type FeeEstimate = { kind: "estimating" } | { kind: "skip" } | { kind: "wei"; wei: bigint } | { kind: "later" };

export interface TxRun {
  plan: TxPlan;
  phase: "review" | "running" | "done" | "failed";
  steps: StepState[];
  fees?: FeeEstimate[];
}

interface TxApi {
  run: TxRun | null;
  review(plan: TxPlan): void;
  confirm(): Promise<void>;
  close(): void;
}

const TxContext = createContext<TxApi | null>(null);
export const DEADLINE_SECONDS = 20n * 60n;

export function TxProvider({ publicClient, children }: { publicClient: PublicClient; children: ReactNode }) {
  const wallet = useWallet();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<TxRun | null>(null);

  const review = useCallback(
    (plan: TxPlan) => {
      setRun({ plan, phase: "review", steps: plan.steps.map(() => ({ kind: "waiting" })), fees: plan.steps.map(() => ({ kind: "estimating" })) });
      // Network fees, estimated while the person reads: a step after an approval that is not yet
      // given cannot be estimated before it (it would revert), so it says "estimated when sent".
      void (async () => {
        const account = wallet.address;
        const fees: FeeEstimate[] = [];
        let blocked = false;
        try {
          const gasPrice = await publicClient.getGasPrice();
          const block = await publicClient.getBlock({ blockTag: "latest" });
          for (const step of plan.steps) {
            if (!account) {
              fees.push({ kind: "later" });
              continue;
            }
            if (step.skip && (await step.skip(publicClient, account))) {
              fees.push({ kind: "skip" });
              continue;
            }
            if (blocked) {
              fees.push({ kind: "later" });
              continue;
            }
            try {
              const gas = await publicClient.estimateContractGas({ ...step.call(block.timestamp + DEADLINE_SECONDS, []), account } as never);
              fees.push({ kind: "wei", wei: gas * gasPrice });
            } catch {
              fees.push({ kind: "later" });
            }
            blocked = true; // later steps depend on this one being mined
          }
        } catch {
          while (fees.length < plan.steps.length) fees.push({ kind: "later" });
        }
        setRun((r) => (r && r.plan === plan && r.phase === "review" ? { ...r, fees } : r));
      })();
    },
    [publicClient, wallet.address],
  );

  const close = useCallback(() => setRun((r) => (r && r.phase === "running" ? r : null)), []);

  const confirm = useCallback(async () => {
    if (!run || run.phase !== "review") return;
    const { plan } = run;
    const states: StepState[] = plan.steps.map(() => ({ kind: "waiting" }));
    const receipts: TransactionReceipt[] = [];
    const update = (i: number, s: StepState, phase: TxRun["phase"] = "running") => {
      states[i] = s;
      setRun({ plan, phase, steps: [...states] });
    };
    setRun({ plan, phase: "running", steps: [...states] });
    let client;
    try {
      client = await wallet.signer();
    } catch (e) {
      update(0, { kind: "failed", error: explainError(e) }, "failed");
      return;
    }
    const account = client.account;
    if (!account) {
      update(0, { kind: "failed", error: "Connect a wallet first." }, "failed");
      return;
    }
    for (let i = 0; i < plan.steps.length; i++) {
      const step = plan.steps[i];
      try {
        if (step.skip && (await step.skip(publicClient, account.address))) {
          update(i, { kind: "skipped" });
          continue;
        }
        update(i, { kind: "checking" });
        const block = await publicClient.getBlock({ blockTag: "latest" });
        const call = step.call(block.timestamp + DEADLINE_SECONDS, receipts);
        // A revert is found here, with its sentence, before the wallet is asked to sign.
        await publicClient.simulateContract({ ...call, account } as never);
        update(i, { kind: "signing" });
        const hash = await client.writeContract({ ...call, account, chain: wallet.chain } as never);
        update(i, { kind: "pending", hash });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== "success") {
          let error = explainRevert(null, step.contract);
          try {
            await publicClient.call({
              account,
              to: call.address,
              data: encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never),
              blockNumber: receipt.blockNumber,
            });
          } catch (e) {
            error = explainError(e, step.contract);
          }
          update(i, { kind: "failed", error, hash }, "failed");
          void queryClient.invalidateQueries();
          return;
        }
        receipts.push(receipt);
        update(i, { kind: "confirmed", hash });
      } catch (e) {
        update(i, { kind: "failed", error: explainError(e, step.contract) }, "failed");
        return;
      }
    }
    setRun({ plan, phase: "done", steps: [...states] });
    void queryClient.invalidateQueries();
    plan.onConfirmed?.(receipts);
  }, [run, wallet, publicClient, queryClient]);

  return (
    <TxContext.Provider value={{ run, review, confirm, close }}>
      {children}
      {run && <TxDialog run={run} onConfirm={confirm} onClose={close} />}
    </TxContext.Provider>
  );
}

export function useTx(): TxApi {
  const t = useContext(TxContext);
  if (!t) throw new Error("useTx outside TxProvider");
  return t;
}

/** An ERC-20 approval step that is skipped when the allowance already covers `amount`. */
export function approveStep(token: Address, spender: Address, amount: bigint, label: string, erc20: Abi): TxStep {
  return {
    label,
    contract: "ERC20",
    call: () => ({ address: token, abi: erc20, functionName: "approve", args: [spender, amount] }),
    skip: async (pc, owner) => {
      const allowance = (await pc.readContract({ address: token, abi: erc20, functionName: "allowance", args: [owner, spender] })) as bigint;
      return allowance >= amount;
    },
  };
}
