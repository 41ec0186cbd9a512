// Sign-In with Ethereum (EIP-4361): the message text the gateway's parser (fomo.gateway.siwe)
// accepts, built from the nonce and domain it handed out.
import { getAddress } from "viem";

export interface SiweFields {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function siweMessage(f: SiweFields): string {
  const lines = [
    `${f.domain} wants you to sign in with your Ethereum account:`,
    getAddress(f.address),
    "",
    f.statement,
    "",
    `URI: ${f.uri}`,
    "Version: 1",
    `Chain ID: ${f.chainId}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${iso(f.issuedAt)}`,
  ];
  if (f.expirationTime) lines.push(`Expiration Time: ${iso(f.expirationTime)}`);
  return lines.join("\n");
}
