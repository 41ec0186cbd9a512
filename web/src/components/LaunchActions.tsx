// The state-dependent buttons of a launch: Graduate Token (anyone, once the window closed above
// the minimum), Redeem (a failed launch's principal), Claim (the MT allocation after graduation).
import type { Address } from "viem";
import type { LaunchDetail, Portfolio } from "../lib/api";
import { launchpadAbi } from "../lib/abi";
import { big, formatFlock, formatMt } from "../lib/format";
import { usePlatform } from "../hooks/platform";
import { useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";

export function LaunchActions({ launch, pledge }: { launch: LaunchDetail; pledge: Portfolio["pledges"][number] | undefined }) {
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const token = launch.token as Address;
  const simple = (title: string, fn: "graduate" | "claim" | "redeem", summary: { label: string; value: string }[], label: string) => {
    const launchpad = platform.address("Launchpad");
    tx.review({ title, summary, steps: [{ label, contract: "Launchpad", call: () => ({ address: launchpad, abi: launchpadAbi, functionName: fn, args: [token] }) }] });
  };
  const claimable = big(pledge?.claimable_mt);
  const redeemable = big(pledge?.redeemable_flock);
  return (
    <div className="col gap">
      {launch.status === "Graduating" && (
        <>
          <p className="notice">The sale window closed with the minimum raise reached. Anyone may graduate the launch: it mints the MT, seeds the DEX pool and opens claims.</p>
          <button
            type="button"
            className="btn primary"
            disabled={!wallet.address}
            data-testid="graduate-button"
            onClick={() =>
              simple(
                `Graduate $${launch.symbol}`,
                "graduate",
                [
                  { label: "Raised principal", value: formatFlock(big(launch.raised)) },
                  { label: "Cost", value: "gas only" },
                ],
                `Launchpad.graduate(${launch.symbol})`,
              )
            }
          >
            Graduate Token
          </button>
        </>
      )}
      {launch.status === "Failed" && (
        <>
          <p className="notice warn">The raise ended below its minimum. Buyers can redeem their principal; fees are not refundable.</p>
          {wallet.address && redeemable === 0n && <p className="muted small">You have no principal to redeem in this launch.</p>}
          <button
            type="button"
            className="btn primary"
            disabled={!wallet.address || redeemable === 0n}
            data-testid="redeem-button"
            onClick={() => simple(`Redeem from $${launch.symbol}`, "redeem", [{ label: "You get back", value: formatFlock(redeemable) }], `Launchpad.redeem(${launch.symbol})`)}
          >
            Redeem {redeemable > 0n ? formatFlock(redeemable) : ""}
          </button>
        </>
      )}
      {launch.status === "Graduated" && (claimable > 0n || (pledge && big(pledge.claimed_mt) === 0n && big(pledge.mt_allocated) > 0n)) && (
        <>
          <p className="notice">Your allocation is minted and waiting: claim it to your wallet.</p>
          <button
            type="button"
            className="btn primary"
            disabled={!wallet.address || claimable === 0n}
            data-testid="claim-button"
            onClick={() => simple(`Claim $${launch.symbol}`, "claim", [{ label: "You receive", value: formatMt(claimable, launch.symbol) }], `Launchpad.claim(${launch.symbol})`)}
          >
            Claim {formatMt(claimable, launch.symbol)}
          </button>
        </>
      )}
    </div>
  );
}
