import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One pending authorization request: the state (hashed), its PKCE verifier and nonce, where to land. */
@Entity('oauth_login_states')
export class LoginStateEntity {
  @PrimaryColumn('char', { name: 'state_hash', length: 64 })
  stateHash!: string;

  @Column('text', { name: 'code_verifier' })
  codeVerifier!: string;

  @Column('text')
  nonce!: string;

  @Column('text', { name: 'return_to' })
  returnTo!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
