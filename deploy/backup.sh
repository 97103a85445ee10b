#!/bin/sh
# Back up the register: the database (pg_dump, custom format) and the documents folder, with a
# SHA-256 manifest of every file, into $BACKUP_DIR/<UTC timestamp>/. README, "Backups".
# Needs DATABASE_URL (a postgresql:// URL; the +psycopg driver part is removed), UPLOAD_FOLDER
# and BACKUP_DIR in the environment. Copy the result off the host (it holds personal data:
# encrypt it at rest and in transit).
set -eu
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="${BACKUP_DIR:?set BACKUP_DIR}/$stamp"
url=$(printf '%s' "${DATABASE_URL:?set DATABASE_URL}" | sed 's#^postgresql+psycopg://#postgresql://#')
umask 077
mkdir -p "$target"
pg_dump --format=custom --no-owner --file "$target/register.dump" "$url"
tar -C "${UPLOAD_FOLDER:?set UPLOAD_FOLDER}" -cf "$target/uploads.tar" .
(cd "${UPLOAD_FOLDER}" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$target/uploads.sha256"
(cd "$target" && sha256sum register.dump uploads.tar > SHA256SUMS)
echo "Backed up to $target"
