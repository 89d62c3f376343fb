/**
 * Which of its campaign's listed ties each member holds (issue 18, need-to-know): bit i of
 * `tie_set` is the i-th tie of `campaigns.ties` (strongest first, at most 20). A member of an
 * organisation sees a campaign through the members in its constituency only: the ties they hold,
 * and a name made from the strongest of them, never a URL or a dictionary only another
 * organisation's devices showed. 0 for campaigns computed before this migration: such a view
 * shows no ties until the campaigns are computed again.
 */
export const migration = {
  id: 27,
  name: 'campaign-member-ties',
  statements: [
    `ALTER TABLE campaign_members ADD COLUMN tie_set integer NOT NULL DEFAULT 0`,
  ],
};
