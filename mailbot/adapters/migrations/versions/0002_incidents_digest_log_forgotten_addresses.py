"""incidents digest log forgotten addresses

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('digest_log',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('forgotten_address',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('digest')
    )
    op.create_table('worker_incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('worker_incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_incident_at'), ['at'], unique=False)

    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolved_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('resolved_by')

    with op.batch_alter_table('worker_incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_incident_at'))

    op.drop_table('worker_incident')
    op.drop_table('forgotten_address')
    op.drop_table('digest_log')

