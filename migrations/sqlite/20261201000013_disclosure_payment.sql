-- After an accepted disclosure (issue 9): the amount due that customs set (the decided
-- differences plus late-payment interest; negative for a refund), the payment the trader reports
-- and the officer confirms, and the declaration correction (KDT) that closes it.
ALTER TABLE disclosures ADD COLUMN amount_due INTEGER;
ALTER TABLE disclosures ADD COLUMN interest_due INTEGER;
ALTER TABLE disclosures ADD COLUMN payment_reference TEXT;
ALTER TABLE disclosures ADD COLUMN paid_on INTEGER;
ALTER TABLE disclosures ADD COLUMN kdt_reference TEXT;
