/**
 * The signing seam. A `Signer` holds a certificate chain and turns the DER of
 * CMS signed attributes into an RSA signature; everything around it (the CMS
 * structure, the PDF placeholder) is built here, the same for every signer.
 *
 * `Pkcs12Signer` signs with a key held by the server (a commune's .p12 file).
 * A remote signer (USB token through a local agent, or a remote-signing
 * provider's "sign hash" API) implements the same interface: it sends the
 * SHA-256 of `signedAttributes` away and returns the signature. See
 * docs/decisions/0170-signing-pades.md.
 */
import { sign as rsaSign } from 'node:crypto';
import type { CertInfo, Credential } from './pki.js';

export interface Signer {
  /** Signer certificate first, then its CAs. */
  readonly chain: readonly CertInfo[];
  /** RSASSA-PKCS1-v1_5 with SHA-256 over the DER of the signed attributes. */
  signAttributes(der: Uint8Array): Promise<Buffer>;
}

export class Pkcs12Signer implements Signer {
  readonly chain: readonly CertInfo[];
  private readonly credential: Credential;

  constructor(credential: Credential) {
    this.credential = credential;
    this.chain = credential.chain;
  }

  signAttributes(der: Uint8Array): Promise<Buffer> {
    return Promise.resolve(rsaSign('sha256', der, this.credential.key));
  }
}
